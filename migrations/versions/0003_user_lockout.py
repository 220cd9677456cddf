"""user lock-out: failed sign-ins counted, a lock with growing delays, when the password was last changed

Revision ID: 0003
Revises: 0002
Create Date: 2027-01-05 12:00:00

``app_user`` gets:
- ``failed_logins``: failed sign-ins since the last successful one (0 for every existing account);
- ``locked_until``: until when the account refuses every sign-in (UTC; empty when not locked);
- ``password_changed_at``: when the password was last changed or reset (empty: set when the account was made).
The count is added with a server default so that existing rows get 0, and the default is then dropped: the
program always writes the value itself. Frozen: plain column types, never the application's classes.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("app_user", sa.Column("failed_logins", sa.Integer(), nullable=False, server_default=sa.text("0")))
    op.add_column("app_user", sa.Column("locked_until", sa.DateTime(), nullable=True))
    op.add_column("app_user", sa.Column("password_changed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.alter_column("failed_logins", existing_type=sa.Integer(), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("password_changed_at")
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")
