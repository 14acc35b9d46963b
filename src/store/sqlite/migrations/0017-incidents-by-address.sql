-- An address's earlier incidents, for returning attackers: by the ip of their key.
CREATE INDEX incidents_by_address ON incidents (json_extract(key_json, '$.ip'));
