-- manage-db's own schema for managed triggers: the record of applied project trigger files.
CREATE SCHEMA IF NOT EXISTS manage_db;

CREATE TABLE IF NOT EXISTS manage_db.trigger_files (
    file       text PRIMARY KEY,
    sha256     text NOT NULL,
    triggers   text[] NOT NULL DEFAULT '{}',
    applied_at timestamptz NOT NULL DEFAULT now()
);
