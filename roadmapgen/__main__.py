from roadmapgen.cli import main

main()
