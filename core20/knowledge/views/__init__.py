"""The knowledge hub (public reading, KNOWLEDGE_MANAGE to change), the public mailing-list
pages (sign up, confirm, unsubscribe) and notices (MAILING_LIST_SEND)."""
