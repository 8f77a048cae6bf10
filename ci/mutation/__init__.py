# The mutation campaign of ci/mutate: mutant generation (generate.py), the private build and the
# suite run of each mutant (campaign.py), the result store (store.py) and the reports (report.py).
