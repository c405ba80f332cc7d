/**
 * Names of the conditions the MQL / SQL rules may use, with their Japanese and
 * English labels. Shared by the settings page (rule editor, preview) and the
 * engine (score breakdown, "why not yet" explanations), so both say the same thing.
 * Browser-safe: no imports.
 */
export interface BilingualLabel {
  ja: string;
  en: string;
}

/** Conditions that are either true or false for a contact. */
export const BOOLEAN_FACTS = [
  'inquiry_submitted',
  'survey_answered',
  'is_first_call_done',
  'seminar_attended',
  'seminar_registered',
  'bant_budget',
  'bant_authority',
  'bant_need',
  'bant_timeline',
  'handoff_reason_present',
  'last_contacted_recorded',
] as const;
export type BooleanFact = (typeof BOOLEAN_FACTS)[number];

/** Conditions compared against a threshold. */
export const NUMERIC_FACTS = [
  'score',
  'score_behavior',
  'score_attribute',
  'bant_count',
  'email_opens',
  'downloads',
  'seminars_attended',
] as const;
export type NumericFact = (typeof NUMERIC_FACTS)[number];

export const FACT_LABELS: Record<BooleanFact | NumericFact, BilingualLabel> = {
  inquiry_submitted: { ja: '問い合わせフォーム送信済', en: 'Inquiry form submitted' },
  survey_answered: { ja: 'アンケート回答済', en: 'Survey answered' },
  is_first_call_done: { ja: 'ISによる初回架電完了', en: 'IS first call completed' },
  seminar_attended: { ja: 'セミナー参加済', en: 'Seminar attended' },
  seminar_registered: { ja: 'セミナー申込済', en: 'Seminar registered' },
  bant_budget: { ja: 'BANT: 予算確認済', en: 'BANT: budget confirmed' },
  bant_authority: { ja: 'BANT: 決裁者確認済', en: 'BANT: authority confirmed' },
  bant_need: { ja: 'BANT: 課題あり（ニーズ確認済）', en: 'BANT: need confirmed' },
  bant_timeline: { ja: 'BANT: 検討時期確認済', en: 'BANT: timeline confirmed' },
  handoff_reason_present: { ja: 'トスアップ理由の記入あり', en: 'Hand-off reason written' },
  last_contacted_recorded: { ja: '直近の接触日が記録済', en: 'Last contact date recorded' },
  score: { ja: 'スコア合計', en: 'Total score' },
  score_behavior: { ja: '行動スコア', en: 'Behaviour score' },
  score_attribute: { ja: '属性スコア', en: 'Attribute score' },
  bant_count: { ja: 'BANT確認数', en: 'BANT items confirmed' },
  email_opens: { ja: 'メール開封数', en: 'Email opens' },
  downloads: { ja: '資料ダウンロード数', en: 'Document downloads' },
  seminars_attended: { ja: 'セミナー参加数', en: 'Seminars attended' },
};

/** Labels of the scoring rules, used in `tossup_score_breakdown` and on the settings page. */
export const SCORING_RULE_LABELS = {
  emailOpen: { ja: 'メール開封', en: 'Email opens' },
  download: { ja: '資料ダウンロード', en: 'Document downloads' },
  seminarAttended: { ja: 'セミナー参加', en: 'Seminars attended' },
  seminarRegistered: { ja: 'セミナー申込', en: 'Seminar registrations' },
  seniority: { ja: '部長職以上', en: 'Manager level or above' },
  companySize: { ja: '従業員規模', en: 'Company size' },
  targetIndustry: { ja: '対象業界', en: 'Target industry' },
} as const satisfies Record<string, BilingualLabel>;

export type ScoringRuleId = keyof typeof SCORING_RULE_LABELS;

export const COMPARATOR_LABELS = {
  gte: '≥',
  gt: '>',
  lte: '≤',
  lt: '<',
  eq: '=',
} as const;
