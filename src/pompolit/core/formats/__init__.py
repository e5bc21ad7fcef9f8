"""The group's date and number formats per language (FORMAT_MODULE_PATH): one way of writing a
date in each language, for pages and forms alike. docs/dates.md says what people may type."""
