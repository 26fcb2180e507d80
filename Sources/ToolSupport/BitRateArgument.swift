import ArgumentParser
import Quantities

extension BitRate: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
