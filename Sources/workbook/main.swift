import WorkbookServer
print(ServerPlaceholder.doc)
