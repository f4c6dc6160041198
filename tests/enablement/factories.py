import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from enablement.models import Person, Team


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    external_id = factory.Sequence(lambda n: f"T-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    external_id = factory.Sequence(lambda n: f"HR-{n:05d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    title = "Account Executive"
    employment_status = Person.EmploymentStatus.ACTIVE
