-- A judging detector's own summary of a fact (a spike's decayed counts per hour of the week), in its own text.
ALTER TABLE learned ADD COLUMN data TEXT;
