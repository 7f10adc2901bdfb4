from followup.imports.columns import guess_mapping, missing_required, normalise


def test_headers_are_read_whatever_their_case_and_punctuation():
    assert normalise("  Date_Applied: ") == "date applied"
    assert normalise("E-mail Address") == "e mail address"


def test_the_usual_application_headers_are_guessed():
    headers = [
        "COMPANY", "Job Title", "stage", "Date applied", "Link", "City", "Salary", "Comments",
        "Something else",
    ]  # fmt: skip
    assert guess_mapping(headers, "applications") == {
        0: "organisation",
        1: "position",
        2: "status",
        3: "applied_on",
        4: "posting_url",
        5: "location",
        6: "salary",
        7: "notes",
        8: "",
    }


def test_other_spellings_of_the_same_columns():
    headers = ["Organization", "Role", "Application Status", "applied_on", "URL", "Notes"]
    assert list(guess_mapping(headers, "applications").values()) == [
        "organisation", "position", "status", "applied_on", "posting_url", "notes",
    ]  # fmt: skip


def test_a_target_goes_to_the_first_column_claiming_it():
    mapping = guess_mapping(["Title", "Position", "Company"], "applications")
    assert mapping == {0: "position", 1: "", 2: "organisation"}


def test_contact_headers_including_a_linkedin_export():
    headers = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position"]
    assert list(guess_mapping(headers, "contacts").values()) == [
        "first_name", "last_name", "profile_url", "email", "organisation", "role",
    ]  # fmt: skip
    assert list(guess_mapping(["Full name", "E-mail", "Organisation"], "contacts").values()) == [
        "name", "email", "organisation",
    ]  # fmt: skip


def test_what_a_row_cannot_do_without():
    assert [t.label for t in missing_required({0: "organisation"}, "applications")] == ["Position"]
    assert missing_required({0: "first_name"}, "contacts") == []
    assert [t.label for t in missing_required({0: "email"}, "contacts")] == ["Name"]
