import json

from bench import quality_summary


def test_summary_reads_cross_validation_and_safety_results(tmp_path):
    (tmp_path / "cv-untangle").mkdir()
    (tmp_path / "cv-untangle" / "intent_report.json").write_text(
        json.dumps({"accuracy": 0.8, "macro avg": {"f1-score": 0.75}, "weighted avg": {"f1-score": 0.79}})
    )
    (tmp_path / "safety-untangle.json").write_text(
        json.dumps(
            {
                "summary": {
                    "first_message": {"recall": 0.99, "false_referral_rate": 0.05},
                    "mid_conversation": {"recall": 0.98, "false_referral_rate": 0.06},
                }
            }
        )
    )
    (tmp_path / "times.tsv").write_text("cv-untangle\t196\t0\n")
    summary = quality_summary.summarize(tmp_path)
    assert summary["untangle"]["macro_f1"] == 0.75
    assert summary["untangle"]["mid_conversation_recall"] == 0.98
    assert summary["diet"]["macro_f1"] is None  # not run yet
    assert summary["step_seconds"] == {"cv-untangle": 196.0}
    table = quality_summary.table(summary)
    assert "| intent macro-F1, 5-fold CV | 75.0 % | – |" in table
    assert "| false referrals, mid conversation | 6.0 % | – |" in table
