"""Tools for contributors: skeletons of new entries, tidying files, statistics, the live preview."""
