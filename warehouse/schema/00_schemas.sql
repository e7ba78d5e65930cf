-- The four layers of the warehouse, named in the schema (PUDL style):
--   raw      every file offered, as read from the source, accepted or not
--   core     cleaned documents and the figures extracted from them
--   quality  what the checks held back and the alerts they raised
--   marts    analyst-facing comparisons built from core
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS quality;
CREATE SCHEMA IF NOT EXISTS marts;
-- The tables of raw, core and quality are declared once each, in <schema>.<table>.yml beside this
-- file (columns in order, type, key/required/values/default, description); pipelines/tables.py
-- creates them, adds columns an older warehouse lacks and sets their comments.
