"""The site search: one box in the header, results from every app on one page."""
