"""Demo accounts. Every demo user has the same password so the README can list them."""

from accounts.models import User

DEMO_PASSWORD = "demo-pass-2026"


def ensure_user(username: str, *, display_name: str = "", is_staff: bool = False, is_superuser: bool = False) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"display_name": display_name, "is_staff": is_staff, "is_superuser": is_superuser},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed(stdout):
    ensure_user("operator", display_name="平台小二 Operator", is_staff=True, is_superuser=True)
    ensure_user("alice", display_name="Alice 爱丽丝")
    ensure_user("bob", display_name="Bob 小白")
    return [
        ("operator", DEMO_PASSWORD, "operator (/ops/, /admin/)"),
        ("alice", DEMO_PASSWORD, "shopper"),
        ("bob", DEMO_PASSWORD, "shopper"),
    ]
