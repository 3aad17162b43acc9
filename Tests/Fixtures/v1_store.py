#!/usr/bin/env python3
"""Writes a signature store as Megaphone's schema v1 left it (before the kept counts),
with two confirmed signatures and one pending, for the test that readers never upgrade it.
Usage: v1_store.py PATH"""
import sqlite3
import sys

c = sqlite3.connect(sys.argv[1])
c.executescript("""
CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
INSERT INTO grdb_migrations VALUES ('v1: signatures, tokens, mail queue, campaign state');
CREATE TABLE signature (id INTEGER PRIMARY KEY AUTOINCREMENT, campaign TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'quarantined', 'withdrawn')), email_key TEXT,
    fields TEXT NOT NULL, targets TEXT NOT NULL DEFAULT '[]', created_at REAL NOT NULL, verified_at REAL, confirmed_at REAL,
    withdrawn_at REAL, notices INTEGER NOT NULL DEFAULT 0,
    letters TEXT NOT NULL DEFAULT 'none' CHECK (letters IN ('none', 'due', 'done')), UNIQUE (campaign, email_key));
CREATE INDEX signature_by_state ON signature (campaign, state, confirmed_at, id);
CREATE TABLE token (hash TEXT PRIMARY KEY, signature_id INTEGER NOT NULL REFERENCES signature(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('confirm', 'withdraw')), expires_at REAL);
CREATE INDEX token_by_signature ON token (signature_id);
CREATE TABLE mail (id INTEGER PRIMARY KEY AUTOINCREMENT, campaign TEXT NOT NULL,
    signature_id INTEGER REFERENCES signature(id) ON DELETE SET NULL, kind TEXT NOT NULL, key TEXT NOT NULL UNIQUE,
    envelope_from TEXT NOT NULL, recipients TEXT NOT NULL, bytes BLOB, created_at REAL NOT NULL, sent_at REAL);
CREATE INDEX mail_unsent ON mail (sent_at, id);
CREATE TABLE campaign_state (campaign TEXT PRIMARY KEY, closed INTEGER NOT NULL);
INSERT INTO signature (campaign, state, email_key, fields, created_at, verified_at, confirmed_at) VALUES
    ('petition', 'confirmed', 'ana@example.org', '{"city":"Leeds","email":"ana@example.org","name":"Ana Lopez"}', 1, 2, 2),
    ('petition', 'confirmed', 'ben@example.org', '{"city":"York","email":"ben@example.org","name":"Ben Ode"}', 1, 3, 3),
    ('petition', 'pending', 'cy@example.org', '{"city":"Hull","email":"cy@example.org","name":"Cy Pending"}', 1, NULL, NULL);
""")
c.execute("PRAGMA journal_mode=WAL")
c.commit()
c.close()
