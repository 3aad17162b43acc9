import MegaphoneValue
import Testing

@Suite struct ObjectTests {
    @Test func keepsOrderAndFindsMembersSmallAndLarge() {
        for size in [1, 8, 9, 40] {
            var object = Object()
            for index in 0..<size { object["name\(index)"] = .int(index) }
            #expect(object.count == size)
            #expect(object.keys == (0..<size).map { "name\($0)" })
            for index in 0..<size {
                #expect(object["name\(index)"] == .int(index))
                #expect(object[Object.MemberName("name\(index)")] == .int(index))
            }
            #expect(object["missing"] == nil)
            #expect(object["name"] == nil)
        }
    }

    @Test func settingReplacesAndNilRemoves() {
        var object: Object = ["a": 1, "b": 2, "a": 3]   // a repeated name keeps its last value
        #expect(object.count == 2 && object["a"] == 3)
        object["b"] = nil
        #expect(object.keys == ["a"] && object["b"] == nil)
        var large = Object()
        for index in 0..<20 { large["k\(index)"] = .int(index) }
        large["k5"] = nil
        #expect(large.count == 19 && large["k5"] == nil && large["k19"] == 19 && large["k4"] == 4)
    }

    @Test func copiesAreIndependent() {
        var original = Object()
        for index in 0..<12 { original["k\(index)"] = .int(index) }
        var copy = original
        copy["new"] = "added"
        copy["k0"] = "changed"
        #expect(original["new"] == nil && original["k0"] == 0 && original.count == 12)
        #expect(copy["new"] == "added" && copy["k0"] == "changed" && copy["k11"] == 11 && copy.count == 13)
    }

    @Test func equalityIgnoresOrderAndMapKeepsNames() {
        let one: Object = ["x": 1, "y": "two"]
        let other: Object = ["y": "two", "x": 1]
        #expect(one == other)
        #expect(one != ["x": 1, "y": "three"])
        #expect(one != ["x": 1])
        let mapped = one.mapValues { value in if case .int(let n) = value { .int(n * 10) } else { value } }
        #expect(mapped.keys == ["x", "y"] && mapped["x"] == 10 && mapped["y"] == "two")
        #expect(Array(one.map(\.key)) == ["x", "y"])
    }
}
