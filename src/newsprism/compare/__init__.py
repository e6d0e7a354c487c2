"""Compare the outlets of one story: reuse, quotations, facts, coverage, corroboration."""
