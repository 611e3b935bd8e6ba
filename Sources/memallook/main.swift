Memallook.main(CommandLineWords.normalized(Array(CommandLine.arguments.dropFirst())))
