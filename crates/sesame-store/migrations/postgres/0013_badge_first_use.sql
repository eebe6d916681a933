-- The first passage of each badge at a door, for the rule "expires N days after its
-- first use". Badges already seen count from their last known passage: the log's
-- earlier lines were not kept.
ALTER TABLE badge_usage ADD COLUMN first_seen_at TIMESTAMPTZ;
UPDATE badge_usage SET first_seen_at = last_seen_at;
