"""annual-etl: Chinese government annual reports → traceable figures in DuckDB."""
