/* The roadmap-wide timeline: written once by roadmapgen build and loaded by timeline.html as a
   script (not fetched), so the site also works opened from disk. Shape: docs/timeline.md. */
window.{{ name }} = {{ spec_json }};
