use super::names::tokens;
use super::validate;
use super::*;

fn field(name: &str) -> Option<&'static str> {
    classify_field_name(name).map(|c| c.id)
}

fn val(value: &str, ctx: Option<&str>) -> Option<&'static str> {
    classify_value(value, ctx).map(|c| c.id)
}

fn bare(value: &str) -> Option<&'static str> {
    val(value, None)
}

fn in_text(text: &str) -> Vec<(&'static str, &str)> {
    classify_values_in_text(text)
        .into_iter()
        .map(|(c, s, e)| (c.id, text.get(s..e).unwrap_or("<bad range>")))
        .collect()
}

// --- catalogue ---------------------------------------------------------------------------------

#[test]
fn class_list_and_levels() {
    let ids: Vec<&str> = classes().iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        [
            "email",
            "phone",
            "person-name",
            "postal-address",
            "date-of-birth",
            "ip-address",
            "us-ssn",
            "passport",
            "national-id",
            "payment-card",
            "iban",
            "bank-account",
            "health",
            "salary",
            "credentials"
        ]
    );
    for c in classes() {
        let want = if ids.iter().position(|i| *i == c.id) < Some(6) {
            Sensitivity::Confidential
        } else {
            Sensitivity::Restricted
        };
        assert_eq!(c.level, want, "{}", c.id);
        assert!(!c.label.is_empty());
    }
}

// --- tokenizer ---------------------------------------------------------------------------------

#[test]
fn tokenizer_splits_all_conventions() {
    assert_eq!(tokens("employeeEmail"), ["employee", "email"]);
    assert_eq!(tokens("EMPLOYEE_EMAIL"), ["employee", "email"]);
    assert_eq!(tokens("e-mail"), ["e", "mail"]);
    assert_eq!(tokens("DateOfBirth"), ["date", "of", "birth"]);
    assert_eq!(tokens("SSNNumber"), ["ssn", "number"]);
    assert_eq!(tokens("userIPAddress"), ["user", "ip", "address"]);
    assert_eq!(tokens("customerSSNs"), ["customer", "ssns"]);
    assert_eq!(tokens("address1"), ["address", "1"]);
    assert_eq!(tokens("x-forwarded-for"), ["x", "forwarded", "for"]);
    assert_eq!(
        tokens("home address.zip code"),
        ["home", "address", "zip", "code"]
    );
    assert_eq!(tokens("WhatsApp"), ["whats", "app"]);
    assert_eq!(tokens("  __ "), Vec::<String>::new());
    assert!(tokens(&"a_".repeat(1000)).len() <= 16);
}

// --- field names -------------------------------------------------------------------------------

#[test]
fn field_names_positive() {
    let cases = [
        ("employeeEmail", "email"),
        ("EMPLOYEE_EMAIL", "email"),
        ("e-mail", "email"),
        ("E-mail", "email"),
        ("emailAddress", "email"),
        ("contact_emails", "email"),
        ("dob", "date-of-birth"),
        ("DateOfBirth", "date-of-birth"),
        ("birth_date", "date-of-birth"),
        ("birthday", "date-of-birth"),
        ("ssn", "us-ssn"),
        ("social_security_number", "us-ssn"),
        ("SocialSecurityNo", "us-ssn"),
        ("card_number", "payment-card"),
        ("ccNumber", "payment-card"),
        ("creditCard", "payment-card"),
        ("cvv", "payment-card"),
        ("iban", "iban"),
        ("IBAN", "iban"),
        ("account_number", "bank-account"),
        ("routing_number", "bank-account"),
        ("sort-code", "bank-account"),
        ("salary", "salary"),
        ("annualSalary", "salary"),
        ("compensation", "salary"),
        ("hourly_rate", "salary"),
        ("diagnosis", "health"),
        ("medical_record", "health"),
        ("allergies", "health"),
        ("mental_health_notes", "health"),
        ("first_name", "person-name"),
        ("last_name", "person-name"),
        ("full_name", "person-name"),
        ("FirstName", "person-name"),
        ("surname", "person-name"),
        ("display_name", "person-name"),
        ("customerName", "person-name"),
        ("name_first", "person-name"),
        ("home_address", "postal-address"),
        ("address", "postal-address"),
        ("address_line_1", "postal-address"),
        ("billingAddress", "postal-address"),
        ("street", "postal-address"),
        ("zip", "postal-address"),
        ("zip_code", "postal-address"),
        ("postcode", "postal-address"),
        ("postal_code", "postal-address"),
        ("phone", "phone"),
        ("phoneNumber", "phone"),
        ("mobile", "phone"),
        ("mobile_number", "phone"),
        ("whatsapp", "phone"),
        ("WhatsApp", "phone"),
        ("fax", "phone"),
        ("ip", "ip-address"),
        ("ip_address", "ip-address"),
        ("client_ip", "ip-address"),
        ("clientIp", "ip-address"),
        ("x-forwarded-for", "ip-address"),
        ("X-Real-IP", "ip-address"),
        ("remote_addr", "ip-address"),
        ("ipv4_address", "ip-address"),
        ("passport_no", "passport"),
        ("passportNumber", "passport"),
        ("national_id", "national-id"),
        ("tax_id", "national-id"),
        ("drivers_license_number", "national-id"),
        ("password", "credentials"),
        ("db_password", "credentials"),
        ("api_key", "credentials"),
        ("x-api-key", "credentials"),
        ("apiKey", "credentials"),
        ("secret", "credentials"),
        ("client_secret", "credentials"),
        ("access_token", "credentials"),
        ("Authorization", "credentials"),
        ("smtp_pass", "credentials"),
        ("privateKey", "credentials"),
    ];
    let mut wrong = Vec::new();
    for (name, want) in cases {
        if field(name) != Some(want) {
            wrong.push((name, field(name), want));
        }
    }
    assert!(wrong.is_empty(), "{wrong:?}");
}

#[test]
fn field_names_negative() {
    let cases = [
        "zipper",
        "description",
        "shipping_method",
        "ipsum",
        "skip",
        "recipe",
        "sku",
        "restaurant_name",
        "company_name",
        "app_name",
        "product_name",
        "file_name",
        "fileName",
        "hostname",
        "host_name",
        "name",
        "id",
        "user_id",
        "employee_id",
        "username",
        "user_name",
        "username_display_color",
        "email_template",
        "emailVerified",
        "email_valid",
        "is_email",
        "send_email",
        "phone_type",
        "mobile_layout",
        "mobileBreakpoint",
        "ip_whitelist",
        "allowed_ips",
        "server_ip",
        "mac_address",
        "server_address",
        "wallet_address",
        "password_policy",
        "password_reset_url",
        "min_password_length",
        "secret_ref",
        "secretRef",
        "secret_name",
        "max_tokens",
        "prompt_tokens",
        "page_token",
        "nextPageToken",
        "token_type",
        "health_check",
        "healthcheck",
        "healthz",
        "pinData",
        "auth",
        "authentication",
        "primary_key",
        "sort_key",
        "cache_key",
        "place_of_birth",
        "timezone",
        "address_format",
        "zip_file",
        "card_type",
        "account_id",
        "account_name",
        "tipo",
        "ship",
        "hotel",
        "origin",
        "createdAt",
        "versionId",
        "webhookId",
        "content-type",
        "user-agent",
        "accept-encoding",
        "x-forwarded-proto",
        "x-forwarded-host",
        "typeValidation",
        "sec-ch-ua-mobile",
        "sec-fetch-site",
        "templateCredsSetupCompleted",
        "Get_Organization_Users_-_Skip_Token",
        "credentials",
        "allowCredentials",
        "",
    ];
    let hits: Vec<_> = cases
        .iter()
        .filter_map(|n| field(n).map(|c| (*n, c)))
        .collect();
    assert!(hits.is_empty(), "{hits:?}");
}

#[test]
fn field_name_most_sensitive_wins() {
    assert_eq!(field("email_password"), Some("credentials"));
    assert_eq!(field("customer_email_and_ssn"), Some("us-ssn"));
    assert_eq!(field("patient_name_diagnosis"), Some("health"));
}

// --- payment cards -----------------------------------------------------------------------------

#[test]
fn luhn_and_issuers() {
    assert!(validate::luhn(b"4111111111111111"));
    assert!(!validate::luhn(b"4111111111111112"));
    assert!(validate::luhn(b"79927398713"));
    for ok in [
        "4111111111111111",
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "5500 0000 0000 0004",
        "2221000000000009",
        "378282246310005",
        "3782 822463 10005",
        "6011111111111117",
        "3530111333300000",
        "30569309025904",
        "4222222222222",
    ] {
        assert!(validate::Number::new(ok).card_strict(), "{ok}");
    }
    for bad in [
        "4111111111111112",     // Luhn fails
        "1234567812345670",     // Luhn ok, no issuer starts with 1 at 16 digits
        "0000000000000000",     // repeated digit
        "4111 1111-1111 1111",  // mixed separators
        "41111 11111111111",    // ok groups? no: second group too long
        "411111111111",         // 12 digits
        "41111111111111111111", // 20 digits
        "3782822463100050",     // Amex prefix with 16 digits
        "4006381333023",        // an EAN-13 barcode (and Luhn-valid)
    ] {
        assert!(!validate::Number::new(bad).card_strict(), "{bad}");
    }
}

#[test]
fn cards_as_values() {
    assert_eq!(bare("4111111111111111"), Some("payment-card"));
    assert_eq!(bare("4111 1111 1111 1111"), Some("payment-card"));
    assert_eq!(bare("SKU-4111-1111-1111-1112"), None);
    assert_eq!(
        bare("SKU-4111-1111-1111-1111"),
        None,
        "embedded in a longer token"
    );
    assert_eq!(bare("order4111111111111111"), None);
    assert_eq!(bare("4111111111111111abc"), None);
    assert_eq!(bare("4111111111111112"), None);
    assert_eq!(bare("5555555555554445"), None, "Luhn-invalid 16 digits");
    assert_eq!(bare("1234567890123456"), None);
    assert_eq!(
        bare("Please charge card 4111-1111-1111-1111 today"),
        Some("payment-card")
    );
    assert_eq!(bare("https://shop.example/orders/4111111111111111"), None);
    // 12-digit Maestro only with a card context.
    assert_eq!(bare("501864667909"), None);
    assert_eq!(
        val("501864667909", Some("card_number")),
        Some("payment-card")
    );
    assert_eq!(val("4111111111111112", Some("card_number")), None);
    assert_eq!(val("123", Some("cvv")), Some("payment-card"));
    assert_eq!(val("12345", Some("cvv")), None);
    assert_eq!(val("{{ $json.card }}", Some("card_number")), None);
}

// --- IBAN --------------------------------------------------------------------------------------

#[test]
fn iban_values() {
    for ok in [
        "GB82WEST12345698765432",
        "GB82 WEST 1234 5698 7654 32",
        "DE89370400440532013000",
        "DE89 3704 0044 0532 0130 00",
        "FR1420041010050500013M02606",
        "NL91ABNA0417164300",
        "gb82west12345698765432",
    ] {
        assert_eq!(bare(ok), Some("iban"), "{ok}");
    }
    for bad in [
        "GB83WEST12345698765432",     // wrong check digits
        "GB82WEST1234569876543",      // wrong length for GB
        "DE89370400440532013001",     // mod-97 fails
        "XX82WEST12345698765432",     // unknown country
        "GB82WEST12345698765432X",    // longer token
        "ID:GB82WEST12345698765432Z", // embedded
    ] {
        assert_eq!(bare(bad), None, "{bad}");
    }
    assert_eq!(
        bare("Pay to IBAN DE89 3704 0044 0532 0130 00, thanks"),
        Some("iban")
    );
}

// --- SSN ---------------------------------------------------------------------------------------

#[test]
fn ssn_values() {
    assert_eq!(bare("123-45-6789"), Some("us-ssn"));
    assert_eq!(bare("SSN: 536-22-1234"), Some("us-ssn"));
    for bad in [
        "000-12-3456",
        "666-12-3456",
        "900-12-3456",
        "987-65-4320",
        "123-00-4567",
        "123-45-0000",
        "078-05-1120",
        "123456789",
        "123 45 6789",
        "1234-56-789",
        "A123-45-6789",
    ] {
        assert_eq!(bare(bad), None, "{bad}");
    }
    // Undashed forms only where the context names an SSN.
    assert_eq!(val("123456789", Some("ssn")), Some("us-ssn"));
    assert_eq!(
        val("123 45 6789", Some("social_security_number")),
        Some("us-ssn")
    );
    assert_eq!(val("666456789", Some("ssn")), None);
    assert_eq!(val("123456789", Some("employee_id")), None);
    assert_eq!(
        bare("ssn 123456789"),
        Some("us-ssn"),
        "keyword before the number"
    );
}

// --- e-mail ------------------------------------------------------------------------------------

#[test]
fn email_values() {
    for ok in [
        "jane@corp.example",
        "jane.doe+tag@mail.example.co.uk",
        "UtaKortig@jourrapide.com",
        "mailto:jane@corp.example",
        "Jane Doe <jane@corp.example>",
        "contact us at support@acme.io.",
        "https://example.com/unsubscribe?email=jane@corp.example",
        "o'brien@example.ie",
    ] {
        assert_eq!(bare(ok), Some("email"), "{ok}");
    }
    for bad in [
        "jane@localhost",
        "jane..doe@corp.example",
        "jane@corp..example",
        "jane@-corp.example",
        "jane@corp.123",
        "logo@2x.png",
        "react@18.2.0",
        "@scope/package",
        "jane@",
        "@corp.example",
        "git@github.com:org/repo.git",
        "https://user@host.example/path",
        "ftp://jane:secret@files.example.com",
        "jane[at]corp.example",
        "not an email at all",
    ] {
        assert_eq!(bare(bad), None, "{bad}");
    }
    assert_eq!(val("={{ $json.email }}", Some("email")), None);
}

// --- IP ----------------------------------------------------------------------------------------

#[test]
fn ip_values() {
    for ok in [
        "35.212.38.239",
        "192.168.0.14",
        "10.0.0.5",
        "1.2.3.4",
        "client 8.8.8.8 connected",
        "2001:db8:85a3::8a2e:370:7334",
        "6e40:4041:c617:e898:c11:40d2:c669:2eb4",
        "fe80::1ff:fe23:4567:890a",
        "::ffff:192.0.2.128",
    ] {
        assert_eq!(bare(ok), Some("ip-address"), "{ok}");
    }
    for bad in [
        "999.1.1.1",
        "256.0.0.1",
        "1.2.3",
        "1.2.3.4.5",
        "01.02.03.04",
        "0.0.0.0",
        "127.0.0.1",
        "255.255.255.0",
        "255.255.255.255",
        "v1.2.3.4",
        "version 1.2.3.4",
        "release 10.2.1.4",
        "1.3.6.1.4.1.311",
        "http://192.168.0.14:8080/api",
        "10.0.0.0/8",
        "::1",
        "::",
        "12:30:45",
        "std::vec::Vec",
        "de:ad",
        "00:1A:2B:3C:4D:5E",
    ] {
        assert_eq!(bare(bad), None, "{bad}");
    }
    assert_eq!(val("1.2.3.4", Some("version")), None);
    assert_eq!(val("1.2.3.4", Some("firmwareVersion")), None);
    assert_eq!(val("8.8.8.8", Some("dns_server")), None);
    assert_eq!(
        val("35.212.38.239", Some("x-forwarded-for")),
        Some("ip-address")
    );
    assert_eq!(
        val("35.212.38.239, 10.0.0.1", Some("x-forwarded-for")),
        Some("ip-address")
    );
}

// --- phone -------------------------------------------------------------------------------------

#[test]
fn phone_values_without_context() {
    for ok in [
        "+1-984-182-0190",
        "+447700677662",
        "+46 (0)8 928 571 38",
        "+41 (0)96 471 07 95",
        "(602)272-9781",
        "(579) 888-3058",
        "905-674-3793",
        "259.735.7502x459",
        "1-800-555-0199",
        "001-518-640-0854",
        "07700 063 966",
        "0490 75 40 81",
        "03.93.92.16.85",
        "(08) 8747 6301",
        "0341 8387176",
        "call me on +49 30 1234567",
    ] {
        assert_eq!(bare(ok), Some("phone"), "{ok}");
    }
    for bad in [
        "9498777106",           // a bare integer
        "1700000000",           // a timestamp
        "2024-01-15",           // a date
        "15.01.2024",           // a date
        "01/15/2024",           // a date
        "1.2.3",                // a version
        "467 3395",             // too ambiguous without context
        "12 345 678",           // a number with thousand separators
        "+0 123 456 789",       // no country code starts with 0
        "+123",                 // too short
        "123-456-7890",         // area code cannot start with 1
        "2024-01-15T10:00:00Z", // a timestamp
        "3.14159",
        "1920x1080",
        "550e8400-e29b-41d4-a716-446655440000",
    ] {
        assert_eq!(bare(bad), None, "{bad}");
    }
}

#[test]
fn phone_values_with_context() {
    assert_eq!(val("467 3395", Some("phone")), Some("phone"));
    assert_eq!(val("9498777106", Some("mobile")), Some("phone"));
    assert_eq!(val("5512992444000", Some("WhatsApp")), Some("phone"));
    assert_eq!(val("(37) 788-063", Some("phone_number")), Some("phone"));
    assert_eq!(val("0000000", Some("phone")), None);
    assert_eq!(val("12345", Some("phone")), None);
    assert_eq!(val("2024-01-15", Some("phone")), None);
    assert_eq!(val("={{ $json.body.WhatsApp }}", Some("mobile")), None);
    assert_eq!(
        val("Mobile 467 3395 or office 555 1234", Some("phone")),
        Some("phone")
    );
    assert_eq!(
        bare("please call 467 3395 tomorrow"),
        Some("phone"),
        "keyword"
    );
}

// --- dates of birth ----------------------------------------------------------------------------

#[test]
fn date_of_birth_values() {
    for ok in [
        "1985-03-12",
        "12.03.1985",
        "3/12/1985",
        "12 March 1985",
        "March 12, 1985",
        "1978-04-13 12:20:39",
    ] {
        assert_eq!(val(ok, Some("dob")), Some("date-of-birth"), "{ok}");
        assert_eq!(val(ok, Some("DateOfBirth")), Some("date-of-birth"), "{ok}");
    }
    for bad in [
        "1985-02-30",
        "1985-13-01",
        "1850-01-01",
        "tomorrow",
        "1985",
        "12/1985",
    ] {
        assert_eq!(val(bad, Some("dob")), None, "{bad}");
    }
    // Without a birth context a date is just a date.
    assert_eq!(bare("1985-03-12"), None);
    assert_eq!(val("1985-03-12", Some("created_at")), None);
    assert_eq!(
        bare("I was born on 2/8/1935 in Lisbon"),
        Some("date-of-birth")
    );
}

// --- person names ------------------------------------------------------------------------------

#[test]
fn person_names_need_context() {
    assert_eq!(val("Jane Doe", Some("full_name")), Some("person-name"));
    assert_eq!(val("Luiz", Some("firstName")), Some("person-name"));
    assert_eq!(
        val("lena andersson", Some("customer_name")),
        Some("person-name")
    );
    assert_eq!(
        val("Djevad Šušulić", Some("display_name")),
        Some("person-name")
    );
    assert_eq!(val("Jane Doe", Some("owner")), Some("person-name"));
    assert_eq!(val("Ken N. Fukuda", Some("assignee")), Some("person-name"));
    assert_eq!(val("Mary O'Neil", Some("created_by")), Some("person-name"));
    // Not people.
    assert_eq!(bare("Jane Doe"), None);
    assert_eq!(val("Jane Doe", Some("name")), None);
    assert_eq!(val("Thai Garden", Some("restaurant")), None);
    assert_eq!(val("Thai Garden", Some("restaurant_name")), None);
    assert_eq!(val("Thai Garden", Some("customer")), None);
    assert_eq!(val("Acme Corp", Some("company")), None);
    assert_eq!(val("Acme Corp", Some("owner")), None);
    assert_eq!(val("group:people-ops", Some("owner")), None);
    assert_eq!(val("jdoe", Some("owner")), None);
    assert_eq!(val("Mozilla Firefox", Some("user-agent")), None);
    assert_eq!(val("UI Name", Some("display_name")), None);
    // `displayName` is also every UI label's key: only strictly name-shaped values count.
    assert_eq!(
        val("Janelle Dawe", Some("displayName")),
        Some("person-name")
    );
    assert_eq!(val("slug", Some("displayName")), None);
    assert_eq!(val("metaTitle", Some("displayName")), None);
    assert_eq!(val("Get Organization Users", Some("displayName")), None);
    assert_eq!(val("Apply Template", Some("displayName")), None);
    assert_eq!(val("metaTitle", Some("first_name")), None);
    assert_eq!(val("McDonald", Some("last_name")), Some("person-name"));
    assert_eq!(val("R2D2 Unit", Some("full_name")), None);
    assert_eq!(val("{{ $json.name }}", Some("first_name")), None);
}

// --- postal addresses --------------------------------------------------------------------------

#[test]
fn postal_addresses() {
    for ok in [
        "3968 Bay Street",
        "221B Baker St",
        "1600 Pennsylvania Avenue NW",
        "363 52 Huntly Street",
        "760 Passauer Strasse 33",
        "6750 Koskikatu 25 Apt. 864",
        "29 Rue de Tanger",
        "Rua João Pessoa 1636",
        "Ship to: 42 Wallaby Way, Sydney",
        "PO Box 4854",
    ] {
        assert_eq!(bare(ok), Some("postal-address"), "{ok}");
    }
    for bad in [
        "3 Road bikes",
        "Top 5 Way to grow",
        "we need 2 Drive folders",
        "Street",
        "main street",
        "Route 66",
        "via 3 steps",
    ] {
        assert_eq!(bare(bad), None, "{bad}");
    }
    // With an address context, fragments and postcodes count.
    for ok in [
        "Suite 318",
        "75534-030",
        "B0J 2H0",
        "Pivovarská 276",
        "Main Street",
    ] {
        assert_eq!(
            val(ok, Some("street_address")),
            Some("postal-address"),
            "{ok}"
        );
    }
    assert_eq!(val("75534-030", Some("zip")), Some("postal-address"));
    assert_eq!(val("Berlin", Some("zip")), None);
    assert_eq!(val("75534", Some("order_total")), None);
}

// --- context-only classes ----------------------------------------------------------------------

#[test]
fn government_ids_with_context() {
    assert_eq!(val("X12345678", Some("passport_no")), Some("passport"));
    assert_eq!(val("C01X00T47", Some("passportNumber")), Some("passport"));
    assert_eq!(val("none", Some("passport")), None);
    assert_eq!(
        val("AB 12 34 56 C", Some("national_insurance_number")),
        Some("national-id")
    );
    assert_eq!(val("123.456.789-09", Some("cpf")), Some("national-id"));
    assert_eq!(val("12-3456789", Some("tax_id")), Some("national-id"));
    assert_eq!(val("pending", Some("tax_id")), None);
    assert_eq!(bare("X12345678"), None);
}

#[test]
fn bank_accounts_with_context() {
    assert_eq!(
        val("12345678", Some("account_number")),
        Some("bank-account")
    );
    assert_eq!(
        val("021000021", Some("routing_number")),
        Some("bank-account")
    );
    assert_eq!(
        val("021000022", Some("routing_number")),
        None,
        "ABA checksum"
    );
    assert_eq!(val("12-34-56", Some("sort_code")), Some("bank-account"));
    assert_eq!(
        val("GB82WEST12345698765432", Some("bank_account")),
        Some("iban")
    );
    assert_eq!(bare("12345678"), None);
}

#[test]
fn health_salary_credentials_need_context() {
    assert_eq!(val("Type 2 diabetes", Some("diagnosis")), Some("health"));
    assert_eq!(val("E11.9", Some("diagnosis")), Some("health"));
    assert_eq!(val("none", Some("allergies")), None);
    assert_eq!(val("true", Some("medical_record")), None);
    assert_eq!(bare("Type 2 diabetes"), None);

    assert_eq!(val("85000", Some("salary")), Some("salary"));
    assert_eq!(val("$85,000 / year", Some("annual_salary")), Some("salary"));
    assert_eq!(val("EUR 4.200", Some("compensation")), Some("salary"));
    assert_eq!(val("competitive", Some("salary")), None);
    assert_eq!(bare("85000"), None);

    assert_eq!(val("hunter2", Some("password")), Some("credentials"));
    assert_eq!(
        val("Bearer abc123def456", Some("Authorization")),
        Some("credentials")
    );
    assert_eq!(
        val("sk_live_abcdef123456", Some("api_key")),
        Some("credentials")
    );
    for placeholder in [
        "{{ $credentials.headerAuth }}",
        "${DB_PASSWORD}",
        "=$env.API_KEY",
        "<your api key>",
        "YOUR_API_KEY",
        "API_KEY",
        "xxxxxxxx",
        "********",
        "Bearer {{token}}",
        "Bearer YOUR_LINE_BOT_TOKEN",
        "@parameters('apiKey')",
        "",
        "null",
    ] {
        assert_eq!(val(placeholder, Some("password")), None, "{placeholder}");
        assert_eq!(
            val(placeholder, Some("Authorization")),
            None,
            "{placeholder}"
        );
    }
    assert_eq!(bare("hunter2"), None);
}

// --- precision on technical strings ------------------------------------------------------------

#[test]
fn technical_strings_are_not_pii() {
    for s in [
        "550e8400-e29b-41d4-a716-446655440000",
        "917366ee-14a8-4fef-9f0b-6638cdc35fad",
        "d41d8cd98f00b204e9800998ecf8427e",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "2025-09-29T07:07:51.177814",
        "2026-11-28",
        "1.0.0",
        "v2.3.4",
        "0x4111111111111111",
        "#4111111111111111ff",
        "https://wd2-impl.workday.com/ccx/api/v1/4111111111111111",
        "https://hooks.example.com/services/T000/B000/XXXX",
        "n8n-nodes-base.set",
        "n8n_api_26b5c1e8a3b94f6f8d8a0e2c4b6d8f0a",
        "U2FsdGVkX1+abc123==",
        "004c98fc4927",
        "1b46cae",
        "application/x-www-form-urlencoded",
        "deflate, gzip, br",
        "WordPress/6.4.3; {{ $env.WEBHOOK_URL }}",
        "return items[0].json.map(item => ({ json: { data: item } }));",
        "The quick brown fox jumps over the lazy dog 1234 times.",
        "Order #12345 shipped on 2024-01-15, total 1,234.56 EUR",
        "Routes leave requests to managers",
        "#ff0000",
        "font-size: 20px; width: 1920px; height: 1080px",
        "PT1H30M",
        "0 */5 * * *",
        "192.168.1",
        "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
    ] {
        assert_eq!(bare(s), None, "{s}");
    }
}

// --- free text ---------------------------------------------------------------------------------

#[test]
fn text_scan_finds_ranges() {
    let t = "Mail jane@corp.example or call +1-984-182-0190; card 4111 1111 1111 1111, \
             SSN 123-45-6789, IBAN GB82 WEST 1234 5698 7654 32, from 35.212.38.239.";
    let found = in_text(t);
    assert_eq!(
        found,
        [
            ("email", "jane@corp.example"),
            ("phone", "+1-984-182-0190"),
            ("payment-card", "4111 1111 1111 1111"),
            ("us-ssn", "123-45-6789"),
            ("iban", "GB82 WEST 1234 5698 7654 32"),
            ("ip-address", "35.212.38.239"),
        ]
    );
    assert_eq!(bare(t), Some("payment-card"), "most sensitive first found");
}

#[test]
fn text_scan_is_bounded_and_panic_free() {
    let many = "jane@corp.example ".repeat(500);
    assert_eq!(classify_values_in_text(&many).len(), MAX_TEXT_MATCHES);
    for s in [
        "@",
        "@@@",
        "a@",
        "@b",
        "+",
        "(",
        ")",
        "((1))",
        "1-",
        "-1",
        "+(",
        "::",
        ":::::::",
        "1.",
        ".1",
        "ÿ@ÿ.ÿ",
        "名前@例え.jp",
        "4111 ",
        " 4111",
        "x1",
        "1x",
        "1x1",
        "Ünïcödé 12 Straße",
        "12 ",
        "GB82",
        "GB82 ",
        "GB8",
        "\u{0}",
        "1\u{0}2",
    ] {
        let _ = classify_value(s, None);
        let _ = classify_value(s, Some(s));
        let _ = classify_values_in_text(s);
        let _ = classify_field_name(s);
    }
    let long = "1 ".repeat(50_000);
    let _ = classify_values_in_text(&long);
    let long = "a@".repeat(50_000);
    let _ = classify_values_in_text(&long);
}

#[test]
fn ranges_are_char_boundaries() {
    let t = "Ünïcödé: jäne@corp.example, 📞 +44 7700 900123, Straße 12 Königsallee 5";
    for (_, s, e) in classify_values_in_text(t) {
        assert!(t.is_char_boundary(s) && t.is_char_boundary(e) && s < e);
    }
}

#[test]
fn barcodes_are_not_cards() {
    // Both Luhn-valid and EAN-13-valid, Visa prefix: a product code in an inventory app.
    assert_eq!(bare("4006381333023"), None);
    // A card context still takes it.
    assert_eq!(
        val("4006381333023", Some("card_number")),
        Some("payment-card")
    );
}
