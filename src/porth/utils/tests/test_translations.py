from porth.utils.messages import update_catalogue


def test_every_platform_string_has_welsh_and_the_compiled_catalogue_is_fresh(capsys):
    status = update_catalogue(check=True)
    assert status == 0, capsys.readouterr().out
