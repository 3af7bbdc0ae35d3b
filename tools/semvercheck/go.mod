module helmsync.local/tools/semvercheck

go 1.26

require github.com/Masterminds/semver/v3 v3.5.0

require helmsync.local/tools/casecheck v0.0.0

replace helmsync.local/tools/casecheck => ../casecheck
