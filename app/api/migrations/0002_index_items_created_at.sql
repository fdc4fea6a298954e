-- GET /items lists the newest first.
CREATE INDEX items_created_at_idx ON items (created_at DESC, id DESC);
