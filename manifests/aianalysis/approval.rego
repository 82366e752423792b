# The AIAnalysis approval policy (ConfigMap aianalysis-policies, key approval.rego), as Kubernaut's aianalysis lane
# installs it: production needs approval; the highest-scoring risk factor gives the reason.
package aianalysis.approval
import rego.v1

default require_approval := false

is_production if { lower(input.environment) == "production" }

require_approval if { is_production }
require_approval if { is_production; count(input.warnings) > 0 }
require_approval if { is_production; count(input.failed_detections) > 0 }

# Risk factors, each with a score; the reason comes from the highest.
risk_factors contains {"score": 70, "reason": "Data quality warnings in production environment"} if {
    is_production
    count(input.warnings) > 0
}
risk_factors contains {"score": 60, "reason": "Data quality issues detected in production environment"} if {
    is_production
    count(input.failed_detections) > 0
}
risk_factors contains {"score": 40, "reason": "Production environment requires manual approval"} if {
    is_production
}

all_scores contains f.score if { some f in risk_factors }
max_risk_score := max(all_scores) if { count(all_scores) > 0 }
reason := f.reason if { some f in risk_factors; f.score == max_risk_score }
default reason := "Auto-approved"
