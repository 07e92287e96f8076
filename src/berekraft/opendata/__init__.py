"""Open-data formats: each module turns the published values (``rows.Published``, built by the
selector ``web.selectors.published``) into one format, as plain functions that the pages' download
views and the API call alike. Nothing here reads the database."""
