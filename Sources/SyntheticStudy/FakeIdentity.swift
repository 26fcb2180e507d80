/// Invented but realistic identifying data for a synthetic patient and study (French hospitals), so that
/// de-identification has something to find everywhere it can hide.
public struct FakeIdentity: Sendable {
    public let patientName: String
    public let patientID: String
    public let birthDate: String
    public let sex: String
    public let age: String
    public let accessionNumber: String
    public let studyDate: String
    public let studyTime: String
    public let referringPhysician: String
    public let performingPhysician: String
    public let operatorName: String
    public let institution: String
    public let institutionAddress: String
    public let stationName: String
    public let deviceSerial: String
    public let patientAddress: String
    public let patientPhone: String

    static let families = ["MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS",
                           "MOREAU", "LAURENT", "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "FOURNIER"]
    static let givens = ["Jeanne", "Pierre", "Marie", "Louis", "Anne", "Jacques", "Claire", "Yann", "Soizic",
                         "Gwenael", "Maelle", "Erwan", "Nolwenn", "Corentin"]
    static let sites = [
        ("CHU DE BREST", "2 AVENUE FOCH, 29200 BREST"),
        ("CH DE MORLAIX", "15 RUE DE KERSAINT GILLY, 29600 MORLAIX"),
        ("CENTRE DE SANTE OUESSANT", "BOURG DE LAMPAUL, 29242 OUESSANT"),
    ]

    init(random: inout SeededRandom) {
        func pick<T>(_ list: [T]) -> T { list[Int(random.next() % UInt64(list.count))] }
        func digits(_ count: Int) -> String { (0..<count).map { _ in String(random.next() % 10) }.joined() }
        let family = pick(Self.families)
        let given = pick(Self.givens)
        patientName = "\(family)^\(given)"
        patientID = "IPP" + digits(8)
        let birthYear = 1930 + Int(random.next() % 60)
        let birthMonth = 1 + Int(random.next() % 12)
        let birthDay = 1 + Int(random.next() % 28)
        birthDate = String(format: "%04d%02d%02d", birthYear, birthMonth, birthDay)
        sex = random.next() % 2 == 0 ? "F" : "M"
        let studyYear = 2026
        age = String(format: "%03dY", studyYear - birthYear)
        accessionNumber = "ACC" + digits(9)
        studyDate = String(format: "%04d%02d%02d", studyYear, 1 + Int(random.next() % 12), 1 + Int(random.next() % 28))
        studyTime = String(format: "%02d%02d%02d", Int(random.next() % 24), Int(random.next() % 60), Int(random.next() % 60))
        referringPhysician = "\(pick(Self.families))^\(pick(Self.givens))^^Dr"
        performingPhysician = "\(pick(Self.families))^\(pick(Self.givens))"
        operatorName = "\(pick(Self.families))^\(pick(Self.givens))"
        let site = pick(Self.sites)
        institution = site.0
        institutionAddress = site.1
        stationName = "CT" + digits(3)
        deviceSerial = "SN" + digits(7)
        patientAddress = "\(1 + random.next() % 120) RUE DE SIAM, 29200 BREST"
        patientPhone = "+33 2 98 " + digits(2) + " " + digits(2) + " " + digits(2)
    }
}

import Foundation
