"""A member's own contact for emergencies, kept encrypted: whom to tell if they are detained."""
