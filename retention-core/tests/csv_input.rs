//! CSV ingestion and export: good files, every bad row reported, header
//! errors, and a round trip of the generated sample data.

use chrono::{TimeZone, Utc};
use retention_core::csv_input::{
    events_to_csv_string, parse_csv, read_csv, to_csv_string, write_csv, COLUMNS,
};
use retention_core::events::{
    CustomerId, Event, EventKind, EventLog, LogOptions, Severity, SubscriptionChange, SurveyKind,
};
use retention_core::sample::{generate, SampleOptions};
use retention_core::{Error, IssueKind};

fn issues(err: Error) -> Vec<(usize, &'static str, String, IssueKind)> {
    match err {
        Error::InvalidRows { issues } => issues
            .into_iter()
            .map(|i| (i.row, i.field, i.value, i.kind))
            .collect(),
        other => panic!("expected InvalidRows, got {other:?}"),
    }
}

#[test]
fn good_file_with_every_kind_and_format() {
    let text = "\u{feff}Timestamp, customer_id ,event,amount,items,score,detail,resolved
2024-03-01,7,order,25.50,2,,,
2024-03-01 10:30:00,7,refund,5,,,,
2024-03-01T11:00:00+01:00,7,,12,,,,
2024-03-02T00:00:00.250Z,7,session,,,,,
2024-03-02T00:00:00Z,7,signup,0,,,,
2024-03-03T00:00:00Z,7,email_open,,,,,
2024-03-03T00:01:00Z,7,email_click,,,,,
2024-03-04T00:00:00Z,8,support_ticket,,,,Critical,no
2024-03-05T00:00:00Z,8,support_ticket,,,,critical,YES
2024-03-06T00:00:00Z,8,survey,,,9,nps,
2024-03-06T00:00:00Z,8,referral,,,,42,
2024-03-07T00:00:00Z,8,subscription,-19,,,contraction,
2024-03-08T00:00:00Z,8,points_earned,100,,,,
2024-03-09T00:00:00Z,8,points_redeemed,40,,,,
";
    let log = parse_csv(text, LogOptions::default()).unwrap();
    assert_eq!(log.len(), 14);
    assert_eq!(log.customers(), &[CustomerId::Int(7), CustomerId::Int(8)]);
    let events = log.to_events();
    let at = |d, h, m, s| Utc.with_ymd_and_hms(2024, 3, d, h, m, s).unwrap();
    assert_eq!(
        events[0],
        Event::new(
            7,
            at(1, 0, 0, 0),
            EventKind::Order {
                amount: 25.5,
                items: Some(2)
            }
        )
    );
    // 11:00 at +01:00 is 10:00 UTC, before the refund; a missing event is an order.
    assert_eq!(events[2].kind, EventKind::Refund { amount: 5.0 });
    assert_eq!(events[2].timestamp, at(1, 10, 30, 0));
    assert!(events.contains(&Event::new(
        7,
        at(1, 10, 0, 0),
        EventKind::Order {
            amount: 12.0,
            items: None
        }
    )));
    assert!(events.iter().any(|e| e.kind == EventKind::Session
        && e.timestamp == at(2, 0, 0, 0) + chrono::Duration::milliseconds(250)));
    assert!(events.contains(&Event::new(
        8,
        at(4, 0, 0, 0),
        EventKind::SupportTicket {
            severity: Severity::Critical,
            resolved: false
        }
    )));
    assert!(events.contains(&Event::new(
        8,
        at(5, 0, 0, 0),
        EventKind::SupportTicket {
            severity: Severity::Critical,
            resolved: true
        }
    )));
    assert!(events.contains(&Event::new(
        8,
        at(6, 0, 0, 0),
        EventKind::Survey {
            kind: SurveyKind::Nps,
            score: 9.0
        }
    )));
    assert!(events.contains(&Event::new(
        8,
        at(6, 0, 0, 0),
        EventKind::Referral {
            referred: CustomerId::Int(42)
        }
    )));
    assert!(events.contains(&Event::new(
        8,
        at(7, 0, 0, 0),
        EventKind::Subscription {
            change: SubscriptionChange::Contraction,
            mrr_delta: -19.0
        }
    )));
    assert!(events.contains(&Event::new(
        8,
        at(9, 0, 0, 0),
        EventKind::PointsRedeemed { points: 40.0 }
    )));
}

#[test]
fn string_ids_and_minimal_columns() {
    let text = "customer_id,timestamp,amount\nanna,2024-01-01,10\n17,2024-01-02,5\n";
    let log = read_csv(text.as_bytes(), LogOptions::default()).unwrap();
    assert_eq!(
        log.customers(),
        &[CustomerId::from("17"), CustomerId::from("anna")]
    );
    assert_eq!(log.values(), &[5.0, 10.0]);
}

#[test]
fn every_bad_row_is_reported() {
    let text = "customer_id,timestamp,event,amount,items,score,detail,resolved
1,2024-01-01,order,10,,,,
1,yesterday,order,10,,,,
2,2024-01-02,purchase,10,,,,
3,2024-01-03,order,ten,,,,
4,2024-01-04,order,10,2.5,,,
5,2024-01-05
,2024-01-06,order,1,,,,
6,2024-01-07,order,-3,,,,
7,2024-01-08,survey,,,11,nps,
8,2024-01-09,support_ticket,,,,minor,maybe
9,2024-01-10,order,NaN,,,,
10,2024-01-11,session,5,,,,
11,2024-13-01,order,,,,,
";
    let got = issues(parse_csv(text, LogOptions::default()).unwrap_err());
    let rows: Vec<(usize, &str)> = got.iter().map(|(r, f, _, _)| (*r, *f)).collect();
    assert_eq!(
        rows,
        vec![
            (1, "timestamp"),
            (2, "event"),
            (3, "amount"),
            (4, "items"),
            (5, "row"),
            (6, "customer_id"),
            (7, "amount"),
            (8, "score"),
            (9, "resolved"),
            (10, "amount"),
            (11, "amount"),
            (12, "timestamp"),
        ],
        "{got:#?}"
    );
    assert_eq!(got[0].2, "yesterday");
    assert!(matches!(got[0].3, IssueKind::Unparseable { .. }));
    assert_eq!(
        (got[1].2.as_str(), &got[1].3),
        ("purchase", &IssueKind::UnknownKind)
    );
    assert_eq!(got[4].2, "2 fields, header has 8");
    assert_eq!((got[6].2.as_str(), &got[6].3), ("-3", &IssueKind::Negative));
    assert_eq!(
        got[7].3,
        IssueKind::OutOfRange {
            min: 0.0,
            max: 10.0
        }
    );
    assert_eq!(
        (got[9].2.as_str(), &got[9].3),
        ("NaN", &IssueKind::NotFinite)
    );
    assert_eq!(got[10].3, IssueKind::NotApplicable);
    // Row 12 has two problems: the timestamp is unparseable, so its missing
    // amount is not reported on top.
    assert_eq!(got.len(), 12);
    // Message names the rows.
    let msg = parse_csv(text, LogOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        msg.starts_with("12 invalid input row(s): row 1: field `timestamp`"),
        "{msg}"
    );
}

#[test]
fn header_errors() {
    for (text, value) in [
        ("timestamp,amount\n2024-01-01,1\n", "customer_id"),
        ("customer_id,amount\n1,1\n", "timestamp"),
        ("customer_id,timestamp,price\n1,2024-01-01,3\n", "price"),
        (
            "customer_id,timestamp,amount,Amount\n1,2024-01-01,3,3\n",
            "amount",
        ),
        ("", ""),
    ] {
        match parse_csv(text, LogOptions::default()) {
            Err(Error::InvalidParameter {
                name: "header",
                value: v,
                ..
            }) => assert_eq!(v, value),
            other => panic!("{text:?}: {other:?}"),
        }
    }
    // A header alone is an empty, valid log.
    assert!(parse_csv("customer_id,timestamp\n", LogOptions::default())
        .unwrap()
        .is_empty());
}

#[test]
fn invalid_utf8_is_a_row_issue() {
    let mut bytes = b"customer_id,timestamp,event\n1,2024-01-01,session\n".to_vec();
    bytes.extend_from_slice(b"\xff\xfe,2024-01-02,session\n");
    let got = issues(read_csv(&bytes[..], LogOptions::default()).unwrap_err());
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0, got[0].1), (1, "customer_id"));
}

#[test]
fn generated_sample_round_trips() {
    let events = generate(&SampleOptions {
        customers: 300,
        ..SampleOptions::default()
    })
    .unwrap();
    let log = EventLog::from_events(&events, LogOptions::default()).unwrap();

    let text = to_csv_string(&log);
    assert!(text.starts_with(&COLUMNS.join(",")));
    let back = parse_csv(&text, LogOptions::default()).unwrap();
    assert_eq!(back.to_events(), log.to_events());

    // Rows in time order, through a writer and a reader.
    let rows = events_to_csv_string(&events);
    assert_eq!(rows.lines().count(), events.len() + 1);
    let back = read_csv(rows.as_bytes(), LogOptions::default()).unwrap();
    assert_eq!(back, log);

    let mut buf = Vec::new();
    write_csv(&log, &mut buf).unwrap();
    assert_eq!(String::from_utf8(buf).unwrap(), text);
}

#[test]
fn sub_second_timestamps_and_odd_values_round_trip() {
    let t = Utc.timestamp_micros(1_700_000_000_123_456).unwrap();
    let events = vec![
        Event::new(
            "a,b \"quoted\"",
            t,
            EventKind::Order {
                amount: 0.1 + 0.2,
                items: Some(0),
            },
        ),
        Event::new(
            "x",
            t,
            EventKind::Referral {
                referred: CustomerId::from("friend, with comma"),
            },
        ),
        Event::new(
            "x",
            t,
            EventKind::Subscription {
                change: SubscriptionChange::New,
                mrr_delta: 1e-300,
            },
        ),
    ];
    let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
    let back = parse_csv(&to_csv_string(&log), LogOptions::default()).unwrap();
    assert_eq!(back, log);
}
