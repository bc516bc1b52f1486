-- At most one active BOM and one active routing per product. Activation archives the previous
-- version before it activates the new one; without this index two activations racing each
-- other (PostgreSQL, read committed) could both succeed and leave two versions active.
CREATE UNIQUE INDEX boms_one_active ON boms(product_id) WHERE status = 'active';
CREATE UNIQUE INDEX routings_one_active ON routings(product_id) WHERE status = 'active';
