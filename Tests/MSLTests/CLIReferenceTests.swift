import ArgumentParser
import Foundation
import Testing

@testable import msl

/// Documentation/CLI.md holds the help of `msl` and of every subcommand, rendered at a fixed
/// width; this suite checks each block against the real help so the reference cannot go stale.
///
/// The command tree is walked through `configuration.subcommands`, so a new command appears in
/// the reference by re-recording it:
///
///     MSL_RECORD_CLI_REFERENCE=1 swift test --filter CLIReferenceTests
@Suite("CLI reference")
struct CLIReferenceTests {
    /// Columns the help is wrapped to, whatever the terminal.
    static let columns = 100
    static let beginMarker = "<!-- BEGIN GENERATED HELP: MSL_RECORD_CLI_REFERENCE=1 swift test --filter CLIReferenceTests -->"
    static let endMarker = "<!-- END GENERATED HELP -->"
    static let recordCommand = "MSL_RECORD_CLI_REFERENCE=1 swift test --filter CLIReferenceTests"

    static var referenceURL: URL {
        URL(fileURLWithPath: #filePath)  // Tests/MSLTests/CLIReferenceTests.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Documentation/CLI.md")
    }

    /// Every displayed command, depth first in declaration order, with its full name
    /// (`msl kmeans fit`).
    static func commands() -> [(name: String, type: any ParsableCommand.Type)] {
        func walk(_ type: any ParsableCommand.Type, path: [String]) -> [(String, any ParsableCommand.Type)] {
            let configuration = type.configuration
            let name = configuration.commandName ?? type._commandName
            let full = path + [name]
            var result = [(full.joined(separator: " "), type)]
            for subcommand in configuration.subcommands where subcommand.configuration.shouldDisplay {
                result += walk(subcommand, path: full)
            }
            return result
        }
        return walk(MSL.self, path: [])
    }

    /// The help text of `type` as `msl … --help` prints it, at ``columns``.
    static func help(of type: any ParsableCommand.Type) -> String {
        let text = ObjectIdentifier(type) == ObjectIdentifier(MSL.self)
            ? MSL.helpMessage(columns: columns)
            : MSL.helpMessage(for: type, columns: columns)
        // Trailing spaces would be stripped by editors and break the comparison.
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in String(line.reversed().drop(while: { $0 == " " }).reversed()) }
            .joined(separator: "\n")
            .trimmingCharacters(in: .newlines)
    }

    /// The generated part of CLI.md: a heading and a fenced block per command.
    static func generatedSection() -> String {
        commands().map { command in
            "## `\(command.name)`\n\n```text\n\(help(of: command.type))\n```\n"
        }.joined(separator: "\n")
    }

    /// The help blocks of a CLI.md text, by command name.
    static func documentedBlocks(in text: String) -> [String: String] {
        var blocks: [String: String] = [:]
        var current: String?
        var lines: [Substring] = []
        var inBlock = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !inBlock, line.hasPrefix("## `"), line.hasSuffix("`") {
                current = String(line.dropFirst(4).dropLast())
            } else if !inBlock, line == "```text", current != nil {
                inBlock = true
                lines = []
            } else if inBlock, line == "```" {
                inBlock = false
                if let name = current { blocks[name] = lines.joined(separator: "\n") }
                current = nil
            } else if inBlock {
                lines.append(line)
            }
        }
        return blocks
    }

    @Test("the command tree has the root and its subcommands, each once")
    func commandTree() {
        let names = Self.commands().map(\.name)
        #expect(names.first == "msl")
        #expect(Set(names).count == names.count)
        for expected in ["msl pretrain", "msl probe", "msl benchmark", "msl kmeans", "msl kmeans fit", "msl kmeans label"] {
            #expect(names.contains(expected), "\(expected) missing from \(names)")
        }
    }

    @Test("Documentation/CLI.md shows the real help of every command")
    func referenceMatchesHelp() throws {
        let url = Self.referenceURL
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let begin = text.range(of: Self.beginMarker), let end = text.range(of: Self.endMarker),
              begin.upperBound <= end.lowerBound
        else {
            Issue.record("\(url.path) lacks the markers \(Self.beginMarker) … \(Self.endMarker)")
            return
        }
        let generated = Self.generatedSection()
        if ProcessInfo.processInfo.environment["MSL_RECORD_CLI_REFERENCE"] == "1" {
            let updated = text[..<begin.upperBound] + "\n\n" + generated + "\n" + text[end.lowerBound...]
            try String(updated).write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let documented = Self.documentedBlocks(in: String(text[begin.upperBound..<end.lowerBound]))
        var problems: [String] = []
        for command in Self.commands() {
            guard let block = documented[command.name] else {
                problems.append("`\(command.name)` has no help block")
                continue
            }
            let help = Self.help(of: command.type)
            if block != help {
                let helpLines = help.split(separator: "\n", omittingEmptySubsequences: false)
                let blockLines = block.split(separator: "\n", omittingEmptySubsequences: false)
                let index = (0..<min(helpLines.count, blockLines.count)).first { helpLines[$0] != blockLines[$0] }
                    ?? min(helpLines.count, blockLines.count)
                let wanted = index < helpLines.count ? String(helpLines[index]) : "(end)"
                let found = index < blockLines.count ? String(blockLines[index]) : "(end)"
                problems.append("`\(command.name)` differs at line \(index + 1): help has \"\(wanted)\", CLI.md has \"\(found)\"")
            }
        }
        let known = Set(Self.commands().map(\.name))
        for name in documented.keys.sorted() where !known.contains(name) {
            problems.append("`\(name)` is documented but is no longer a command")
        }
        #expect(
            problems.isEmpty,
            "Documentation/CLI.md is out of date (\(problems.joined(separator: "; "))). Run `\(Self.recordCommand)` and commit the result.")
    }
}
