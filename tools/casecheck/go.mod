module helmsync.local/tools/casecheck

go 1.26
