import Testing

@testable import MemallookCore

@Suite struct SearchTreeTests {
  @Test(arguments: [1, 2, 3] as [UInt64])
  func agreesWithASortedArrayUnderRandomOperations(seed: UInt64) throws {
    var random = SplitMix64(seed: seed)
    var tree = SearchTree<Int>()
    var reference: [Int: Int] = [:]
    for step in 0..<4_000 {
      let key = Int(random.next(upperBound: 500 as UInt64))
      switch random.next(upperBound: 4 as UInt64) {
      case 0, 1:
        if reference[key] == nil {
          let value = Int(random.next(upperBound: 100 as UInt64))
          tree.insert(key, value: value)
          reference[key] = value
        }
      case 2:
        #expect(tree.remove(key) == reference.removeValue(forKey: key))
      default:
        let minimum = Int(random.next(upperBound: 100 as UInt64))
        let expected = reference.filter { $0.key >= key && $0.value >= minimum }.min { $0.key < $1.key }
        #expect(tree.first(from: key, valueAtLeast: minimum)?.key == expected?.key, "step \(step)")
        #expect(tree.floor(key)?.key == reference.keys.filter { $0 <= key }.max())
        #expect(tree.ceiling(key)?.key == reference.keys.filter { $0 >= key }.min())
      }
      #expect(tree.structuralViolations() == [])
    }
    #expect(tree.map(\.key) == reference.keys.sorted())
    #expect(tree.maxValue == reference.values.max())
    #expect(Array(tree.entries(from: 250).map(\.key)) == reference.keys.filter { $0 >= 250 }.sorted())
  }

  @Test func aRunTakenWholeLeavesInOneDescentWhileItsLeafCanLoseIt() {
    // 100 runs of 3 pages, 2 apart: four leaves of 25.
    var tree = SearchTree<Int>(sorted: (0..<100).map { (key: $0 * 5, value: 3) })
    var taken = 0
    while let old = tree.shortenFront(of: taken * 5, by: 3) {
      #expect(old == 3)
      taken += 1
      #expect(tree.value(for: (taken - 1) * 5) == nil)
      #expect(tree.count == 100 - taken)
      #expect(tree.structuralViolations() == [])
    }
    #expect(taken == 25 - SearchTree<Int>.minFill)  // the leaf stops at its least fill
    let before = Array(tree.map { $0 })
    #expect(tree.shortenFront(of: taken * 5, by: 3) == nil)
    #expect(tree.map { $0 }.elementsEqual(before) { $0 == $1 })
    #expect(tree.shortenFront(of: taken * 5, by: 2) == 3)  // a shortened run keeps its slot
    #expect(tree.value(for: taken * 5 + 2) == 1)
    #expect(tree.shortenFront(of: taken * 5 + 2, by: 2) == nil)  // longer than the run
    #expect(tree.structuralViolations() == [])
  }

  @Test(arguments: [4, 5, 6] as [UInt64])
  func takingTheFirstRunThatFitsIsFindingItThenShorteningIt(seed: UInt64) {
    var random = SplitMix64(seed: seed)
    // Runs of 1 to 8 pages with gaps: several levels, leaves that fill and empty.
    var runs: [Int: Int] = [:]
    var page = 0
    for _ in 0..<2_000 {
      let length = Int(random.next(upperBound: 8 as UInt64)) + 1
      runs[page] = length
      page += length + 1
    }
    var tree = SearchTree<Int>(sorted: runs.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) })
    #expect(tree.levels == 3)  // maxima and least keys put right two levels up
    var (done, notDone) = (0, 0)
    for step in 0..<3_000 {
      // From the front quarter: its leaves empty to their least fill.
      let from = Int(random.next(upperBound: UInt64(page / 4)))
      let minimum = Int(random.next(upperBound: 8 as UInt64)) + 1
      let length = Int(random.next(upperBound: UInt64(minimum))) + 1
      let expected = tree.first(from: from, valueAtLeast: minimum)
      let count = tree.count
      let taken = tree.takeFirst(from: from, atLeast: minimum, length: length)
      #expect(taken?.start == expected?.key && taken?.length == expected?.value, "step \(step)")
      guard let taken else {
        #expect(tree.count == count)
        continue
      }
      if taken.done {
        done += 1
      } else {
        notDone += 1
        #expect(taken.length == length)  // only a run taken whole is left to the general path
        #expect(tree.remove(taken.start) == length)  // still there: nothing changed
      }
      runs[taken.start] = nil
      if length < taken.length { runs[taken.start + length] = taken.length - length }
      if step % 50 == 0 || !taken.done {
        #expect(tree.structuralViolations() == [])
        #expect(
          tree.map(\.key) == runs.keys.sorted()
            && tree.map(\.value) == runs.sorted { $0.key < $1.key }.map(\.value))
      }
    }
    #expect(tree.map(\.key) == runs.keys.sorted())
    #expect(tree.maxValue == runs.values.max())
    #expect(done > 500 && notDone > 0)
  }

  @Test func takingTheFirstRunPutsRightTheLeastKeysAndMaximaUpToTheRoot() {
    // 2,000 runs of 3 pages, 2 apart, the 1,000th 9 pages long: three levels.
    let runs = (0..<2_000).map { (key: $0 * 20, value: $0 == 1_000 ? 9 : 3) }
    var tree = SearchTree<Int>(sorted: runs)
    #expect(tree.levels == 3)
    // The first run of the tree: its least key moves on every level.
    #expect(tree.takeFirst(from: 0, atLeast: 3, length: 1) == .init(start: 0, length: 3, done: true))
    #expect(tree.structuralViolations() == [] && tree.first(from: 0, valueAtLeast: 1)?.key == 1)
    // The first run under the root's second child: the root's second least key moves.
    let second = tree.keys[1]
    #expect(tree.takeFirst(from: second, atLeast: 3, length: 2)?.start == second)
    #expect(tree.structuralViolations() == [] && tree.value(for: second + 2) == 1)
    // The only longest run: the maxima fall on every level.
    #expect(tree.maxValue == 9)
    #expect(tree.takeFirst(from: 0, atLeast: 9, length: 4) == .init(start: 20_000, length: 9, done: true))
    #expect(tree.structuralViolations() == [] && tree.maxValue == 5)
  }

  @Test func aTreeOfOneLeafTakesARunWholeOnTheGeneralPath() {
    var tree = SearchTree<Int>(sorted: [(key: 0, value: 2), (key: 5, value: 4)])
    #expect(tree.takeFirst(from: 1, atLeast: 4, length: 4) == .init(start: 5, length: 4, done: false))
    #expect(tree.map(\.key) == [0, 5] && tree.count == 2)  // unchanged
    #expect(tree.takeFirst(from: 1, atLeast: 4, length: 1) == .init(start: 5, length: 4, done: true))
    #expect(tree.map(\.key) == [0, 6] && tree.value(for: 6) == 3 && tree.count == 2)
    #expect(tree.takeFirst(from: 7, atLeast: 1, length: 1) == nil)
    var empty = SearchTree<Int>()
    #expect(empty.takeFirst(from: 0, atLeast: 1, length: 1) == nil)
  }

  @Test(arguments: [7, 8] as [UInt64])
  func freeingMergesWithTheNeighboursInOneDescentWhenItsLeafCan(seed: UInt64) {
    var random = SplitMix64(seed: seed)
    // Free runs of 1 to 8 pages between used ranges of 1 to 8 pages, freed in random order.
    var runs: [Int: Int] = [:]
    var used: [(start: Int, length: Int)] = []
    var page = 0
    for _ in 0..<2_000 {  // used pages first: a freed range may come before every run
      used.append((page, Int(random.next(upperBound: 8 as UInt64)) + 1))
      page += used.last!.length
      runs[page] = Int(random.next(upperBound: 8 as UInt64)) + 1
      page += runs[page]!
    }
    var tree = SearchTree<Int>(sorted: runs.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) })
    #expect(tree.levels == 3)
    var inOneDescent = 0
    for step in 0..<used.count {
      let (start, length) = used.remove(at: Int(random.next(upperBound: UInt64(used.count))))
      let before = runs.first { $0.key + $0.value == start }
      let after = runs[start + length]
      let first = start < runs.keys.min()!  // a new least key, on every level
      if let merge = tree.mergeFreed(start: start, length: length) {
        inOneDescent += 1
        #expect(
          merge.before?.key == before?.key && merge.before?.value == before?.value && merge.after == after)
      } else {  // the general path
        if after != nil { _ = tree.remove(start + length) }
        if let before {
          _ = tree.remove(before.key)
          tree.insert(before.key, value: before.value + length + (after ?? 0))
        } else {
          tree.insert(start, value: length + (after ?? 0))
        }
      }
      runs[start + length] = nil
      if let before {
        runs[before.key] = before.value + length + (after ?? 0)
      } else {
        runs[start] = length + (after ?? 0)
      }
      if step % 40 == 0 || first {
        #expect(tree.structuralViolations() == [])
        #expect(
          tree.map(\.key) == runs.keys.sorted()
            && tree.map(\.value) == runs.sorted { $0.key < $1.key }.map(\.value))
      }
    }
    #expect(tree.map { $0.key } == [0] && tree.maxValue == page)
    #expect(inOneDescent > 1_000)
  }

  @Test(arguments: [0, 1, 2, 10, 1000])
  func buildingFromSortedEntriesGivesAValidTree(count: Int) {
    let tree = SearchTree<Int>(sorted: (0..<count).map { (key: $0 * 2, value: $0 % 7) })
    #expect(tree.structuralViolations() == [])
    #expect(tree.count == count)
    #expect(tree.map(\.key) == (0..<count).map { $0 * 2 })
  }
}
