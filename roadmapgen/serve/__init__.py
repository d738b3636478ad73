"""`roadmapgen serve`: a live-reload preview server (server.py) and a file watcher (watch.py);
neither knows anything about roadmaps: the CLI hands them a builder."""
