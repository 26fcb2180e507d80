import Rostering
import Testing

@Suite struct FrenchCalendarTests {
    // Easter Sundays from the published tables (e.g. the Paris Observatory's).
    @Test(arguments: [(2024, 3, 31), (2025, 4, 20), (2026, 4, 5), (2027, 3, 28), (2038, 4, 25), (2000, 4, 23)])
    func easter(_ year: Int, _ month: Int, _ day: Int) {
        #expect(FrenchCalendar.easter(year) == CalendarDay(year, month, day))
    }

    @Test func holidaysOf2027() {
        let days = FrenchCalendar.holidays(2027).map(\.day.description)
        #expect(days == ["2027-01-01", "2027-03-29", "2027-05-01", "2027-05-06", "2027-05-08", "2027-05-17",
                         "2027-07-14", "2027-08-15", "2027-11-01", "2027-11-11", "2027-12-25"])
        let alsace = FrenchCalendar.holidays(2027, alsaceMoselle: true).map(\.day.description)
        #expect(alsace.count == 13)
        #expect(alsace.contains("2027-03-26") && alsace.contains("2027-12-26"))
    }

    @Test func weekdays() {
        #expect(CalendarDay(2026, 11, 30).weekday == 0)  // Monday
        #expect(CalendarDay(2027, 2, 14).weekday == 6)   // Sunday
        #expect(CalendarDay(2024, 2, 28).adding(days: 1) == CalendarDay(2024, 2, 29))
    }
}
