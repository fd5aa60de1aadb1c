"""Past runs: the runs folder, HTML reports, drawings of what each step aimed at."""
