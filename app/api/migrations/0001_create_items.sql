-- Items are the sample app's only resource. The length check mirrors the API's validation so the
-- database refuses what the API would refuse, whoever writes to it.
CREATE TABLE items (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now()
);
