import Logging
import Synchronization
import Testing

@testable import MemallookServer

@Suite struct LogHandlerTests {
  @Test func aLineHasTheLevelTheLabelTheMetadataSortedAndTheMessage() {
    let lines = Mutex<[String]>([])
    var logger = Logger(label: "memallook") { label in
      StandardErrorLogHandler(label: label) { line in lines.withLock { $0.append(line) } }
    }
    logger.logLevel = .notice
    logger[metadataKey: "hb.request.id"] = "7"
    logger[metadataKey: "a"] = "1"
    logger.info("not at this level")
    logger.notice("listening", metadata: ["port": "8080"])
    let written = lines.withLock { $0 }
    #expect(written.count == 1)
    let expected = " notice memallook: [a=1 hb.request.id=7 port=8080] listening\n"
    #expect(written.first?.hasSuffix(expected) == true)
  }
}
