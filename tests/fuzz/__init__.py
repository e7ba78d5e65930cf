"""Whole-path fuzzing (issue 11): damaged copies of the bundled reports, fed to the real CLI."""
