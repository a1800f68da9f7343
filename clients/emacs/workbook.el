;;; workbook.el --- Answer guided-reflection workbooks through the workbook server  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1") (jsonrpc "1.0.9"))
;; Keywords: convenience, wp

;;; Commentary:

;; A client of the `workbook' JSON-RPC server on Emacs's own jsonrpc.el.
;;
;;   M-x workbook        outline: sections with progress, prompts with their state
;;   M-x workbook-next   the next open prompt in a buffer: context above (read-only),
;;                       your answer below
;;   C-c C-c / C-x C-s   save the answer (a new answer is a draft, a final one stays final)
;;   C-c C-f             save and mark final          C-c C-d  save and mark draft
;;   C-c C-s             skip the prompt              C-c C-n  next open prompt
;;   C-c C-o             outline
;;
;; The server is started as `workbook serve --stdio' (or reached on `workbook-socket').
;; A save that meets a newer answer written elsewhere (error 1004) overwrites nothing: both
;; versions are shown; `C-u C-c C-c' keeps yours, `C-c C-t' takes theirs.  Changes made
;; by other clients (the browser, the CLI) refresh open buffers that have no unsaved edits.

;;; Code:

(require 'jsonrpc)
(require 'cl-lib)
(require 'seq)
(require 'subr-x)
(require 'text-property-search)

(defgroup workbook nil
  "Guided-reflection workbooks."
  :group 'applications
  :prefix "workbook-")

(defcustom workbook-program (or (getenv "WORKBOOK_BIN") "workbook")
  "The `workbook' executable."
  :type 'string)

(defcustom workbook-database nil
  "Database file for the server started by Emacs; nil for the server's default."
  :type '(choice (const nil) file))

(defcustom workbook-socket nil
  "When non-nil, connect to a server on this Unix socket instead of starting one."
  :type '(choice (const nil) file))

(defcustom workbook-server-args nil
  "Extra arguments for `workbook serve --stdio', e.g. (\"--packs\" \"~/packs\")."
  :type '(repeat string))

(defcustom workbook-default-workbook nil
  "The workbook to open; nil for the server's default workbook."
  :type '(choice (const nil) string))

(defcustom workbook-request-timeout 10
  "Seconds to wait for a reply."
  :type 'number)

(defcustom workbook-live-updates t
  "Subscribe to changes made by other clients and refresh open buffers."
  :type 'boolean)

(defcustom workbook-status-marks '(("final" . "[x]") ("draft" . "[~]") ("skipped" . "[-]") (nil . "[ ]"))
  "Marks shown in the outline for each answer status (nil: no answer)."
  :type '(alist :key-type (choice (const nil) string) :value-type string))

(defface workbook-context '((t :inherit shadow :extend t))
  "Context texts above the answer.")
(defface workbook-question '((t :inherit bold))
  "The question.")
(defface workbook-section '((t :inherit font-lock-keyword-face))
  "Section headings in the outline.")

(defvar workbook--connection nil "The jsonrpc connection, while up.")
(defvar workbook--subscription nil "The `subscribe' result, once subscribed.")
(defvar workbook--last-cursor nil "The newest change seen; a reconnect catches up from it.")
(defvar workbook--progress nil "The last `progress.get' result (a plist).")
(defvar workbook--workbook nil "The workbook being worked on.")
(defvar workbook--documents (make-hash-table :test #'equal) "Workbook id -> `workbooks.get'.")

;;;; Connection

(defun workbook--params (&rest plist)
  "PLIST without its nil values: optional params are left out, not sent as null."
  (cl-loop for (key value) on plist by #'cddr when value append (list key value)))

(defun workbook--process ()
  "Start the server, or connect to `workbook-socket'."
  (if workbook-socket
      (make-network-process :name "workbook" :family 'local :service (expand-file-name workbook-socket)
                            :coding 'utf-8-emacs-unix :noquery t)
    (make-process :name "workbook" :connection-type 'pipe :coding 'utf-8-emacs-unix :noquery t
                  :stderr (get-buffer-create "*workbook stderr*")
                  :command (append (list workbook-program "serve" "--stdio")
                                   (when workbook-database
                                     (list "--database" (expand-file-name workbook-database)))
                                   workbook-server-args))))

(defun workbook--ensure ()
  "Return the connection, starting the server and initializing it when needed."
  (unless (and workbook--connection (jsonrpc-running-p workbook--connection))
    (let ((conn (make-instance 'jsonrpc-process-connection
                               :name "workbook" :process #'workbook--process
                               :events-buffer-scrollback-size 0
                               :notification-dispatcher #'workbook--on-notification
                               :on-shutdown (lambda (old)
                                              ;; An old server exiting late must not clear a newer one.
                                              (when (eq old workbook--connection)
                                                (setq workbook--connection nil
                                                      workbook--subscription nil))))))
      (setq workbook--connection conn)
      (jsonrpc-request conn 'initialize
                       (list :clientInfo (list :name "emacs" :version emacs-version))
                       :timeout workbook-request-timeout)
      (when workbook-live-updates (workbook--subscribe workbook--last-cursor))))
  workbook--connection)

(defun workbook--subscribe (since)
  "Subscribe to changes, catching up from SINCE when non-nil.
A cursor the server does not know (e.g. after a restore) means no catch-up."
  (setq workbook--subscription nil)
  (jsonrpc-async-request workbook--connection 'subscribe (and since (list :since since))
                         :success-fn (lambda (result)
                                       (setq workbook--subscription result)
                                       (unless workbook--last-cursor
                                         (setq workbook--last-cursor (plist-get result :cursor))))
                         :error-fn (lambda (_) (when since (workbook--subscribe nil)))
                         :timeout-fn #'ignore))

(defun workbook-call (method &optional params)
  "Call METHOD (a string) with PARAMS (a plist); return the result or signal."
  (jsonrpc-request (workbook--ensure) (intern method) params :timeout workbook-request-timeout))

(defun workbook--async (method params on-success)
  "Call METHOD with PARAMS in the background; ON-SUCCESS receives the result."
  (when (and workbook--connection (jsonrpc-running-p workbook--connection))
    (jsonrpc-async-request workbook--connection (intern method) params
                           :success-fn on-success :error-fn #'ignore :timeout-fn #'ignore)))

(defun workbook--error-data (err)
  "The code and data of a `jsonrpc-error' ERR, as (CODE . DATA)."
  (cons (alist-get 'jsonrpc-error-code (cdr err)) (alist-get 'jsonrpc-error-data (cdr err))))

(defun workbook--describe (err)
  "One readable line for the `jsonrpc-error' ERR."
  (format "%s (%s)" (or (alist-get 'jsonrpc-error-message (cdr err)) "error")
          (or (alist-get 'jsonrpc-error-code (cdr err)) "?")))

(defun workbook-stop ()
  "Stop the server started by Emacs (or leave the socket)."
  (interactive)
  (when workbook--connection
    ;; End of input: the server answers what is pending, then exits 0.
    (let ((proc (jsonrpc--process workbook--connection))
          (deadline (+ (float-time) 2)))
      (ignore-errors (process-send-eof proc))
      (while (and (process-live-p proc) (< (float-time) deadline))
        (accept-process-output proc 0.05)))
    (ignore-errors (jsonrpc-shutdown workbook--connection t))
    (setq workbook--connection nil)))

;;;; Progress in the mode line

(defun workbook-mode-line-string ()
  "The progress segment, e.g. \"solidarity 7/22\" (final answers / prompts).
An empty string until progress is known."
  (if workbook--progress
      (format "%s %d/%d" (plist-get workbook--progress :workbookId)
              (plist-get workbook--progress :answered) (plist-get workbook--progress :total))
    ""))

(defun workbook--progress-params ()
  "Params naming the current workbook, if any."
  (workbook--params :workbookId (or workbook--workbook workbook-default-workbook)))

(defun workbook--set-progress (progress)
  "Store PROGRESS and redraw the mode lines."
  (setq workbook--progress progress
        workbook--workbook (plist-get progress :workbookId))
  (force-mode-line-update t))

(defun workbook-refresh-progress (&optional async)
  "Fetch progress (in the background when ASYNC)."
  (if async
      (workbook--async "progress.get" (workbook--progress-params) #'workbook--set-progress)
    (workbook--set-progress (workbook-call "progress.get" (workbook--progress-params)))))

(defun workbook--local-progress ()
  "\" PROGRESS\" for a workbook buffer's mode line, unless shown globally."
  (let ((s (workbook-mode-line-string)))
    (if (or (string-empty-p s) (bound-and-true-p workbook-progress-mode)) "" (concat " " s))))

(defvar workbook--mode-line-construct '(:eval (let ((s (workbook-mode-line-string)))
                                                 (unless (string-empty-p s) (concat " " s))))
  "Mode line construct showing the progress.")
(put 'workbook--mode-line-construct 'risky-local-variable t)

;;;###autoload
(define-minor-mode workbook-progress-mode
  "Show workbook progress in every mode line (`global-mode-string')."
  :global t
  (setq global-mode-string (delq 'workbook--mode-line-construct (or global-mode-string (list ""))))
  (when workbook-progress-mode
    (setq global-mode-string (append global-mode-string '(workbook--mode-line-construct)))))

;;;; Answer state and notifications

(defvar-local workbook--prompt-id nil "The prompt answered in this buffer.")
(defvar-local workbook--pass-id nil "The pass the answer belongs to (nil: none yet).")
(defvar-local workbook--revision 0 "The revision of the saved answer shown (0: none).")
(defvar-local workbook--status nil "The status of the saved answer.")
(defvar-local workbook--view nil "The `prompts.get' result.")
(defvar-local workbook--answer-start nil "Marker where the answer begins.")
(defvar-local workbook--conflict nil "Data of a 1004 error not yet resolved.")
(defvar-local workbook--remote nil "A change seen while this buffer had unsaved edits.")
(defvar-local workbook--saving nil "Non-nil while a write of this buffer awaits its reply.")
(defvar-local workbook--deferred nil "A change that arrived while `workbook--saving'.")

(defconst workbook--database-replaced "database.replaced"
  "The `:type' of the change made here (not by the server) for a restore.")

(defun workbook--changed (change)
  "Show CHANGE (a change plist) in the answer buffers, progress and outline."
  (dolist (buf (buffer-list))
    (with-current-buffer buf
      (when (and (derived-mode-p 'workbook-answer-mode) (workbook--concerns change))
        (if workbook--saving
            (setq workbook--deferred change)
          (workbook--remote-change change)))))
  (workbook-refresh-progress t)
  (let ((outline (get-buffer "*workbook*")))
    (when outline (with-current-buffer outline (workbook--outline-refresh-async)))))

(defun workbook--dropped (params)
  "Resubscribe after `workbook.subscriptionDropped' PARAMS, as its reason says."
  (if (equal (plist-get params :reason) "databaseReplaced")
      ;; A restore replaced the database: our cursor means nothing there (it may be past the
      ;; new head, which is -32602), so subscribe from the new head and reload what is shown.
      (progn (setq workbook--last-cursor nil)
             (workbook--subscribe nil)
             (message "workbook: the database was replaced (restored); reloading")
             (workbook--changed (list :type workbook--database-replaced)))
    ;; queueFull: we fell behind; catch up from the last cursor the server delivered.
    (setq workbook--last-cursor (or (plist-get params :cursor) workbook--last-cursor))
    (workbook--subscribe workbook--last-cursor)))

(defun workbook--on-notification (_conn method params)
  "Handle server notification METHOD with PARAMS."
  (pcase method
    ('workbook.changed
     (let ((change (plist-get params :change)))
       (setq workbook--last-cursor (plist-get change :cursor))
       (workbook--changed change)))
    ('workbook.subscriptionDropped (workbook--dropped params))))

;;;; Answer buffers

(defvar workbook-answer-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "C-c C-c") #'workbook-save)
    (define-key map [remap save-buffer] #'workbook-save)
    (define-key map (kbd "C-c C-f") #'workbook-final)
    (define-key map (kbd "C-c C-d") #'workbook-draft)
    (define-key map (kbd "C-c C-s") #'workbook-skip)
    (define-key map (kbd "C-c C-t") #'workbook-take-theirs)
    (define-key map (kbd "C-c C-n") #'workbook-next)
    (define-key map (kbd "C-c C-o") #'workbook)
    map)
  "Keys of `workbook-answer-mode'.")

(define-derived-mode workbook-answer-mode text-mode "Workbook"
  "Answer a workbook prompt: context above (read-only), your answer below.
\\{workbook-answer-mode-map}"
  (setq-local mode-line-process '(:eval (workbook-answer-mode-line)))
  (add-hook 'kill-buffer-query-functions #'workbook--confirm-kill nil t)
  (visual-line-mode 1))

(defun workbook-answer-mode-line ()
  "The mode line segment of an answer buffer, e.g. \" [draft r2] solidarity 7/22\".
The progress is left out while `workbook-progress-mode' shows it everywhere."
  (concat (format " [%s]" (workbook--state)) (workbook--local-progress)))

(defun workbook--state ()
  "The saved state of this buffer's answer, e.g. \"draft r2\"."
  (if (zerop workbook--revision) "new" (format "%s r%d" workbook--status workbook--revision)))

(defun workbook--confirm-kill ()
  "Ask before killing a buffer with an unsaved answer."
  (or (not (buffer-modified-p)) (yes-or-no-p "Answer not saved; kill anyway? ")))

(defun workbook--insert-read-only (text &optional face)
  "Insert TEXT as read-only context with FACE."
  (insert (propertize text 'face (or face 'workbook-context) 'read-only t 'front-sticky '(read-only))))

(defun workbook--header (view)
  "Insert the read-only header for VIEW: section, contexts, question, guidance."
  (let ((section (plist-get view :section))
        (prompt (plist-get view :prompt))
        (lead (plist-get view :leadPrompt))
        (earlier (plist-get view :earlierAnswers)))
    (workbook--insert-read-only (format "%s · prompt %d of %d\n\n" (plist-get section :title)
                                        (plist-get view :number) (plist-get view :total)))
    (seq-doseq (context (plist-get view :contexts))
      (workbook--insert-read-only (concat (plist-get context :text) "\n\n")))
    (when lead (workbook--insert-read-only (concat (plist-get lead :text) "\n\n")))
    (workbook--insert-read-only (concat "» " (plist-get prompt :text) "\n") 'workbook-question)
    (when (plist-get prompt :guidance)
      (workbook--insert-read-only (concat (plist-get prompt :guidance) "\n")))
    (when (> (length earlier) 0)
      (workbook--insert-read-only (format "\nIn an earlier pass you wrote:\n%s\n"
                                          (plist-get (aref earlier 0) :text))))
    (workbook--insert-read-only
     (substitute-command-keys
      "\n── your answer below · \\<workbook-answer-mode-map>\\[workbook-save] saves · \\[workbook-final] final ──\n"))
    ;; Text typed right after the header must not inherit its read-only property.
    (put-text-property (1- (point)) (point) 'rear-nonsticky t)))

(defun workbook--set-answer (answer replace)
  "Record ANSWER (a plist or nil) as saved.
With REPLACE, also put its text in the answer area."
  (setq workbook--revision (or (plist-get answer :revision) 0)
        workbook--status (plist-get answer :status)
        workbook--pass-id (or (plist-get answer :passId) workbook--pass-id)
        workbook--remote nil)
  (when replace
    (let ((inhibit-read-only t))
      (delete-region workbook--answer-start (point-max))
      (save-excursion (goto-char (point-max)) (insert (or (plist-get answer :text) "")))))
  (set-buffer-modified-p nil)
  (force-mode-line-update))

(defun workbook--render (view)
  "Fill the current buffer from VIEW (a `prompts.get' result)."
  (let ((inhibit-read-only t))
    (erase-buffer)
    (workbook--header view)
    (setq workbook--answer-start (point-marker))
    (setq workbook--view view
          workbook--pass-id (plist-get view :passId))
    (workbook--set-answer (plist-get view :answer) t)
    (buffer-disable-undo)
    (buffer-enable-undo)))

(defun workbook-answer-text ()
  "The answer exactly as typed in the current buffer."
  (buffer-substring-no-properties workbook--answer-start (point-max)))

(defun workbook--open-view (view)
  "Show VIEW in its answer buffer (an existing buffer keeps its unsaved edits)."
  (let* ((id (plist-get (plist-get view :prompt) :id))
         (name (format "*workbook: %s*" id))
         (existing (get-buffer name)))
    (setq workbook--workbook (plist-get view :workbookId))
    (with-current-buffer (get-buffer-create name)
      (unless existing
        (workbook-answer-mode)
        (setq workbook--prompt-id id)
        (workbook--render view))
      (pop-to-buffer-same-window (current-buffer))
      (goto-char (point-max))
      (current-buffer))))

;;;###autoload
(defun workbook-open (prompt-id)
  "Open PROMPT-ID for answering."
  (interactive "sPrompt id: ")
  (workbook--open-view (workbook-call "prompts.get" (list :promptId prompt-id))))

;;;###autoload
(defun workbook-next ()
  "Open the next open prompt (after the current one, wrapping around)."
  (interactive)
  (let ((view (workbook-call "prompts.next"
                             (workbook--params :workbookId (or workbook--workbook workbook-default-workbook)
                                               :after workbook--prompt-id))))
    (if view (workbook--open-view view) (message "workbook: every prompt is answered or skipped"))))

(defun workbook--require-answer-buffer ()
  "Signal unless the current buffer is an answer buffer."
  (unless (derived-mode-p 'workbook-answer-mode)
    (user-error "Not a workbook answer buffer (M-x workbook-next)")))

(defun workbook--saved (answer verb)
  "Update the buffer after a successful write returning ANSWER; VERB names it."
  (workbook--set-answer answer nil)
  (setq workbook--conflict nil)
  (when-let ((conflict (get-buffer (format "*workbook conflict: %s*" workbook--prompt-id))))
    (kill-buffer conflict))
  (workbook-refresh-progress)
  (message "workbook: %s (%s, revision %d)" verb (plist-get answer :status) (plist-get answer :revision)))

(defun workbook--write (method params verb)
  "Call METHOD with PARAMS for this buffer's answer.
VERB names the action.  A conflict is shown instead of overwriting."
  (condition-case err
      (let ((result (unwind-protect (progn (setq workbook--saving t) (workbook-call method params))
                      (setq workbook--saving nil))))
        (workbook--saved (plist-get result :answer) verb)
        ;; A change that arrived during the call is judged against the new revision.
        (let ((change (prog1 workbook--deferred (setq workbook--deferred nil))))
          (when (and change (workbook--concerns change)) (workbook--remote-change change))))
    (jsonrpc-error
     (pcase-let ((`(,code . ,data) (workbook--error-data err)))
       (if (eql code 1004)
           (workbook--show-conflict (workbook-answer-text) data)
         (user-error "workbook: %s: %s" method (workbook--describe err)))))))

(defun workbook-save (&optional status force)
  "Save the answer with STATUS \"draft\" or \"final\".
STATUS nil keeps the saved status (a new answer is a draft).
With FORCE (prefix argument) after a conflict, overwrite the version shown."
  (interactive (list nil current-prefix-arg))
  (workbook--require-answer-buffer)
  (let ((expected (if (and force workbook--conflict)
                      (plist-get workbook--conflict :currentRevision)
                    workbook--revision)))
    (workbook--write "answers.save"
                     (workbook--params :promptId workbook--prompt-id :text (workbook-answer-text)
                                       :status status :expectedRevision expected :passId workbook--pass-id)
                     "saved")))

(defun workbook-final ()
  "Save the answer and mark it final."
  (interactive)
  (workbook-save "final"))

(defun workbook-draft ()
  "Save the answer and mark it a draft."
  (interactive)
  (workbook-save "draft"))

(defun workbook-skip (reason)
  "Skip this prompt, with an optional REASON."
  (interactive "sReason (optional): ")
  (workbook--require-answer-buffer)
  (workbook--write "answers.skip"
                   (workbook--params :promptId workbook--prompt-id :expectedRevision workbook--revision
                                     :passId workbook--pass-id
                                     :reason (unless (string-empty-p reason) reason))
                   "skipped"))

;;;; Conflicts and live changes

(defun workbook--show-conflict (mine data)
  "Show MINE against the current answer in DATA (of error 1004)."
  (setq workbook--conflict data)
  (let ((current (plist-get data :current))
        (id workbook--prompt-id))
    (with-current-buffer (get-buffer-create (format "*workbook conflict: %s*" id))
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert (format "Conflict on %s: the answer changed elsewhere since you opened it.\n" id)
                (substitute-command-keys
                 "Nothing was overwritten.  In the answer buffer: C-u \\<workbook-answer-mode-map>\\[workbook-save] keeps yours, \\[workbook-take-theirs] takes theirs.\n\n")
                (if current
                    (format "===== theirs (revision %s, %s by %s at %s) =====\n%s\n\n"
                            (plist-get data :currentRevision) (plist-get current :status)
                            (plist-get current :client) (plist-get current :updatedAt) (plist-get current :text))
                  "===== theirs: deleted =====\n\n")
                "===== yours (unsaved, still in your buffer) =====\n" mine "\n"))
      (special-mode)
      (display-buffer (current-buffer))))
  (message "workbook: conflict: both versions shown, nothing was overwritten"))

(defun workbook-take-theirs ()
  "After a conflict, replace your text with the version saved elsewhere."
  (interactive)
  (workbook--require-answer-buffer)
  (unless workbook--conflict (user-error "No conflict to resolve"))
  (workbook--set-answer (plist-get workbook--conflict :current) t)
  (workbook--saved (plist-get workbook--conflict :current) "took theirs"))

(defun workbook--concerns (change)
  "Non-nil if CHANGE (a change plist) concerns the current answer buffer."
  (let ((pass (plist-get change :passId))
        (prompt (plist-get change :promptId))
        (revision (plist-get change :revision)))
    (cond ((member (plist-get change :type) (list "data.erased" workbook--database-replaced)) t)
          ((and pass workbook--pass-id (not (equal pass workbook--pass-id))) nil)
          ((null prompt) (equal (plist-get change :type) "pass.deleted"))
          (t (and (equal prompt workbook--prompt-id)
                  (or (null revision) (> revision workbook--revision)))))))

(defun workbook--remote-change (change)
  "Reload after CHANGE, unless the buffer has unsaved edits (never replaced)."
  (if (buffer-modified-p)
      (progn (setq workbook--remote change)
             (message "workbook: changed elsewhere by %s; your edits are kept" (plist-get change :client)))
    (let ((buf (current-buffer)))
      (workbook--async "prompts.get" (workbook--params :promptId workbook--prompt-id :passId workbook--pass-id)
                       (lambda (view)
                         (when (buffer-live-p buf)
                           (with-current-buffer buf
                             (unless (buffer-modified-p)
                               (setq workbook--view view)
                               (workbook--set-answer (plist-get view :answer) t)))))))))

;;;; Outline

(defvar workbook-outline-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "RET") #'workbook-outline-open)
    (define-key map (kbd "n") #'workbook-outline-next-prompt)
    (define-key map (kbd "p") #'workbook-outline-previous-prompt)
    (define-key map (kbd "N") #'workbook-next)
    map)
  "Keys of `workbook-outline-mode'.")

(define-derived-mode workbook-outline-mode special-mode "Workbook-Outline"
  "The outline of a workbook.  \\<workbook-outline-mode-map>\\[workbook-outline-open] opens the prompt at point.
\\{workbook-outline-mode-map}"
  (setq-local revert-buffer-function (lambda (&rest _) (workbook--outline-refresh)))
  (setq-local mode-line-process '(:eval (workbook--local-progress))))

(defun workbook--mark (status)
  "The outline mark for STATUS."
  (cdr (assoc status workbook-status-marks)))

(defun workbook--drafts (n)
  "\"1 draft\" or \"N drafts\"."
  (if (= n 1) "1 draft" (format "%d drafts" n)))

(defun workbook--first-line (text width)
  "The first line of TEXT, cut to WIDTH."
  (truncate-string-to-width (car (split-string (or text "") "\n")) width nil nil "…"))

(defun workbook--outline-insert (items depth sections answers)
  "Insert ITEMS at DEPTH.
SECTIONS maps section ids to progress, ANSWERS prompt ids to answers."
  (seq-doseq (item items)
    (let ((indent (make-string (* 2 depth) ?\s))
          (kind (plist-get item :kind)))
      (cond
       ((equal kind "section")
        (let ((s (gethash (plist-get item :id) sections)))
          (insert "\n" indent (propertize (concat "▸ " (or (plist-get item :title) (plist-get item :id)))
                                          'face 'workbook-section)
                  (if s (format "  %d/%d%s" (plist-get s :answered) (plist-get s :total)
                                (if (> (plist-get s :drafts) 0) (format " (%s)" (workbook--drafts (plist-get s :drafts))) ""))
                    "")
                  "\n")
          (workbook--outline-insert (plist-get item :items) (1+ depth) sections answers)))
       ((equal kind "prompt")
        (let* ((answer (gethash (plist-get item :id) answers))
               (start (point)))
          (insert indent (if (plist-get item :leadPromptId) "  " "")
                  (workbook--mark (plist-get answer :status)) " "
                  (workbook--first-line (plist-get item :text) (- 72 (length indent))) "\n")
          (put-text-property start (point) 'workbook-prompt (plist-get item :id))))))))

(defun workbook--outline-draw (doc progress answers)
  "Draw DOC with PROGRESS and ANSWERS (a vector) into the current buffer."
  (let ((inhibit-read-only t)
        (line (line-number-at-pos))
        (sections (make-hash-table :test #'equal))
        (by-prompt (make-hash-table :test #'equal)))
    (seq-doseq (s (plist-get progress :sections)) (puthash (plist-get s :id) s sections))
    (seq-doseq (a answers) (puthash (plist-get a :promptId) a by-prompt))
    (erase-buffer)
    (insert (propertize (plist-get doc :title) 'face 'workbook-question)
            (format " — %d/%d final · %s · %d skipped · %d%%\n"
                    (plist-get progress :answered) (plist-get progress :total)
                    (workbook--drafts (plist-get progress :drafts)) (plist-get progress :skipped)
                    (plist-get progress :percent))
            (propertize (substitute-command-keys
                         "\\<workbook-outline-mode-map>\\[workbook-outline-open] open · \\[workbook-outline-next-prompt]/\\[workbook-outline-previous-prompt] move · \\[workbook-next] next open prompt · g refresh · q quit\n")
                        'face 'workbook-context))
    (workbook--outline-insert (plist-get doc :items) 0 sections by-prompt)
    (goto-char (point-min))
    (forward-line (1- line))
    (set-buffer-modified-p nil)
    (workbook--set-progress progress)))

(defvar-local workbook--outline-workbook nil "The workbook shown in this outline.")

(defun workbook--outline-refresh ()
  "Redraw the outline from the server."
  (let ((id workbook--outline-workbook))
    (workbook--outline-draw (gethash id workbook--documents)
                            (workbook-call "progress.get" (list :workbookId id))
                            (workbook-call "answers.list" (list :workbookId id)))))

(defun workbook--outline-refresh-async ()
  "Redraw the outline in the background."
  (let ((buf (current-buffer))
        (id workbook--outline-workbook))
    (workbook--async "progress.get" (list :workbookId id)
                     (lambda (progress)
                       (workbook--async "answers.list" (list :workbookId id)
                                        (lambda (answers)
                                          (when (buffer-live-p buf)
                                            (with-current-buffer buf
                                              (workbook--outline-draw (gethash id workbook--documents)
                                                                      progress answers)))))))))

;;;###autoload
(defun workbook (&optional workbook-id)
  "Show the outline of WORKBOOK-ID (default: the current or default workbook)."
  (interactive)
  (let* ((progress (workbook-call "progress.get"
                                  (workbook--params :workbookId (or workbook-id workbook--workbook
                                                                    workbook-default-workbook))))
         (id (plist-get progress :workbookId)))
    (unless (gethash id workbook--documents)
      (puthash id (workbook-call "workbooks.get" (list :workbookId id)) workbook--documents))
    (with-current-buffer (get-buffer-create "*workbook*")
      (workbook-outline-mode)
      (setq workbook--outline-workbook id)
      (workbook--outline-draw (gethash id workbook--documents) progress
                              (workbook-call "answers.list" (list :workbookId id)))
      (pop-to-buffer-same-window (current-buffer))
      (current-buffer))))

(defun workbook-outline-open ()
  "Open the prompt at point."
  (interactive)
  (let ((id (get-text-property (point) 'workbook-prompt)))
    (unless id (user-error "No prompt on this line"))
    (workbook-open id)))

(defun workbook--outline-move (search)
  "Move to the next prompt line found by SEARCH (a text-property search function)."
  (let ((match (funcall search 'workbook-prompt nil (lambda (_ v) v) t)))
    (when match (goto-char (prop-match-beginning match)))))

(defun workbook-outline-next-prompt ()
  "Move to the next prompt."
  (interactive)
  (end-of-line)
  (workbook--outline-move #'text-property-search-forward))

(defun workbook-outline-previous-prompt ()
  "Move to the previous prompt."
  (interactive)
  (beginning-of-line)
  (workbook--outline-move #'text-property-search-backward))

(provide 'workbook)
;;; workbook.el ends here
