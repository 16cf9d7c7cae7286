"""Static files: compressed, with content hashes in every name, JavaScript imports included."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    # init.js imports govuk-frontend.min.js: rewrite the import to the hashed name, or a
    # browser could keep last year's copy for a year (assets are cached that long).
    support_js_module_import_aggregation = True
