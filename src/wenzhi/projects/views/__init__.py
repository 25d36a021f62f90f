"""Project pages, split by topic like the services. Thin: forms validate, services write, selectors scope."""
