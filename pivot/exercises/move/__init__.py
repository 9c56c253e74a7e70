"""Making the move, the course's last part: where you stand now, the gaps that matter, your
route in and your first 90 days, your interview stories, and your portfolio."""
