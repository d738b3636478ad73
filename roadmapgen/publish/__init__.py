"""Publishing and authoring helpers behind the CLI: init, new, import and gh-deploy.

They write only new files (never over one that exists) and read the roadmap through the engine.
"""
