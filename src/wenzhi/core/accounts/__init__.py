"""Account administration: who may manage which accounts and grant which roles, the pages, the forced password change."""
