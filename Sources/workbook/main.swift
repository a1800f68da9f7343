FastPath.runIfRecognised(Array(CommandLine.arguments.dropFirst()))
WorkbookCommand.main()
