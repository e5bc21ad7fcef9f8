"""Lawyers on duty and the shift log of a hotline: who is at which police station with how much
room for more detainees, and what the people on duty wrote down for each other."""
