"""Review writes. Modules: reviews (post, follow up, reply, hide), qa (questions and answers)."""
