import pytest
from django.contrib.auth.models import User

from tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("huge", [10**30, -(10**30), 2**63])
def test_in_lookup_with_a_value_no_column_holds_matches_nothing(huge):
    user = UserFactory()

    assert list(User.objects.filter(pk__in=[huge])) == []
    assert list(User.objects.filter(pk__in=[huge, user.pk])) == [user]
