-- Deployable types and layouts across providers: the provider profile each node lives on (null:
-- the cluster's provider, as for every node before this) and a digest of the node recipe it was
-- deployed from, so "nodes differ from spec" can be counted without touching the nodes.
ALTER TABLE node
    ADD COLUMN profile VARCHAR(64) NULL,
    ADD COLUMN recipe_digest VARCHAR(64) NULL;
