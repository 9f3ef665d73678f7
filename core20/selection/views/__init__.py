"""The selection pages, one module per audience: calls (public pages and the national
admins' set-up), applications (applicants), panel (panel members, and national admins
appointing them), decisions (moderation and decisions) and files (downloads). Each view
checks access; core20.selection.actions checks again."""
