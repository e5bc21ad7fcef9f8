"""The monthly aid plan: budgets per fund → a fair plan of who gets what → draft items.

`solver/` is the planner itself (pure code, no Django); `services.py` gathers its input from
the database and turns an accepted plan into drafts; `needs.py` keeps each prisoner's needs a
month; `views.py` is the coordinators' page, `command.py` `pompolit aid plan`.
"""
